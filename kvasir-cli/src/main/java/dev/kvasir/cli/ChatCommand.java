package dev.kvasir.cli;

import dev.kvasir.generate.Cancellation;
import dev.kvasir.generate.GenerationRequest;
import dev.kvasir.generate.GenerationResult;
import dev.kvasir.generate.Generator;
import dev.kvasir.sample.Sampler;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kvasir chat}: a REPL over stdin (one user message per line, so it scripts with a pipe). Each
 * turn is rendered with the model's chat template and only the tokens the session's cache lacks are
 * computed; with {@code --session} the conversation is appended to a .kvc file after every answer
 * and a later run continues it without recomputing.
 */
@Command(name = "chat", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Chat with the model; /undo /fork NAME /info /reset /save /exit (/fork onto an existing file and "
                + "/reset of a saved session need --force). One message per line on stdin.")
final class ChatCommand implements Callable<Integer> {
    private final CliIo io;

    @Mixin
    CommonOptions common;

    @Option(names = "--session", paramLabel = "S.kvc", description = "Keep the conversation in this file and continue it on restart.")
    Path session;

    @Option(names = "--system", paramLabel = "TEXT", description = "System message of a new conversation.")
    String system;

    @Option(names = {"-n", "--n-predict"}, paramLabel = "N", defaultValue = "128",
            description = "Most tokens per answer (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Mixin
    SamplingOptions sampling;

    @Mixin
    ChatTemplateOption chatTemplate;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "Compute threads (default: all cores).")
    Integer threads;

    ChatCommand(CliIo io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        var settings = sampling.settings();
        Threads.configure(threads);
        Path file = session == null ? null : io.workingDir().resolve(session);
        try (Generator generator = Generator.load(CacheModel.locate(common.model, file, io))) {
            ChatSession chat = ChatSession.open(generator, file, system, chatTemplate.resolve(io), io);
            BufferedReader in = new BufferedReader(new InputStreamReader(io.in(), StandardCharsets.UTF_8));
            for (String line; (line = readLine(in)) != null; ) {
                if (line.isBlank()) {
                    continue;
                }
                if (line.startsWith("/")) {
                    if (!command(chat, line.strip())) {
                        break;
                    }
                    continue;
                }
                turn(generator, chat, line, new Sampler(settings));
            }
        }
        return 0;
    }

    private void turn(Generator generator, ChatSession chat, String user, Sampler sampler) {
        int[] prompt = chat.promptFor(user);
        int cached = chat.cache().reuse(prompt);
        int[] input = Arrays.copyOfRange(prompt, cached, prompt.length);
        int limit = Math.min(maxTokens, generator.model().config().contextLength() - prompt.length);
        var request = new GenerationRequest(input, Math.max(0, limit), sampler, dev.kvasir.workflow.Conversation.TURN_STOPS, Cancellation.none());
        GenerationResult result = generator.generate(request, chat.cache().cache(), (id, piece) -> {
            io.out().print(piece);
            io.out().flush();
        });
        io.out().println();
        io.out().flush();
        chat.record(user, result.text(), IntStream.concat(Arrays.stream(prompt), Arrays.stream(result.generatedTokens())).toArray());
        io.err().println("[turn: " + cached + " tokens cached, " + input.length + " evaluated, "
                + result.generatedTokens().length + " generated]");
        io.err().flush();
    }

    /** Runs a slash command; false ends the chat. */
    private boolean command(ChatSession chat, String line) {
        String[] words = line.split("\\s+", 2);
        switch (words[0]) {
            case "/exit", "/quit" -> {
                return false;
            }
            case "/undo" -> io.err().println(chat.undo() ? "[undone: the last turn is forgotten]" : "[nothing to undo]");
            case "/reset" -> {
                long saved = chat.messages().stream().filter(m -> !"system".equals(m.role())).count();
                if (chat.file() != null && saved > 0 && !forced(words)) {
                    io.err().println("[not reset: that would erase the " + saved + " messages saved in " + chat.file()
                            + "; /reset --force erases them, /fork NAME first keeps a copy]");
                } else {
                    chat.reset();
                    io.err().println("[conversation reset]");
                }
            }
            case "/save" -> io.err().println(chat.save() ? "[saved to " + chat.file() + "]"
                    : "[no session file: start with --session FILE or use /fork NAME]");
            case "/fork" -> {
                String arg = words.length < 2 ? "" : words[1].replaceFirst("\\s*--force$", "").strip();
                if (arg.isEmpty()) {
                    io.err().println("[usage: /fork NAME [--force]]");
                } else {
                    String name = arg.endsWith(".kvc") ? arg : arg + ".kvc";
                    Path base = chat.file() == null ? io.workingDir() : chat.file().toAbsolutePath().getParent();
                    Path target = base.resolve(name);
                    if (Files.exists(target) && !forced(words)) {
                        io.err().println("[not forked: " + target + " exists; /fork " + arg + " --force overwrites it]");
                    } else {
                        chat.fork(target);
                        io.err().println("[forked: continuing in " + chat.file() + "]");
                    }
                }
            }
            case "/info" -> io.err().println("[" + chat.messages().size() + " messages, " + chat.cache().size() + " tokens, "
                    + bytes(chat.file()) + " bytes, file " + (chat.file() == null ? "(none)" : chat.file()) + "]");
            default -> io.err().println("[unknown command " + words[0] + ": /undo /fork NAME [--force] /info /reset [--force] /save /exit]");
        }
        io.err().flush();
        return true;
    }

    /** Commands that would destroy saved work take a trailing --force, else they are refused (docs/prompt-caching.md). */
    private static boolean forced(String[] words) {
        return words.length > 1 && (words[1].equals("--force") || words[1].endsWith(" --force"));
    }

    private static long bytes(Path file) {
        try {
            return file != null && Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static String readLine(BufferedReader in) {
        try {
            return in.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
