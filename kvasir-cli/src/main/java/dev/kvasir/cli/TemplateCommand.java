package dev.kvasir.cli;

import dev.kvasir.KvasirException;
import dev.kvasir.gguf.GgufFile;
import dev.kvasir.template.ChatConversation;
import dev.kvasir.template.ChatJson;
import dev.kvasir.template.ChatPrompt;
import dev.kvasir.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kvasir template}: the prompt text (or ids) a chat becomes with a model's chat template. */
@Command(name = "template", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Render chat messages with a model's chat template (or a template file) and print the prompt.",
                "strftime_now reads $SOURCE_DATE_EPOCH when it is set, for reproducible output."})
final class TemplateCommand implements Callable<Integer> {
    static final String SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH";

    private final CliIo io;

    @Mixin
    CommonOptions common;

    @Option(names = "--messages", required = true, paramLabel = "FILE",
            description = "OpenAI-style chat: a messages array or {\"messages\": [...], \"tools\": [...]}; '-' reads stdin.")
    String messages;

    @Mixin
    ChatTemplateOption chatTemplate;

    @Option(names = "--add-generation-prompt", description = "End with the assistant's header, as for a reply.")
    boolean addGenerationPrompt;

    @Option(names = "--bos-token", paramLabel = "TEXT", description = "bos_token for the template (default: the model's BOS text).")
    String bosToken;

    @Option(names = "--eos-token", paramLabel = "TEXT", description = "eos_token for the template (default: the model's EOS text).")
    String eosToken;

    @Option(names = "--ids", description = "Print the prompt's token ids (as generation would feed them) instead of its text.")
    boolean ids;

    TemplateCommand(CliIo io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        ChatConversation chat = ChatJson.parse(readMessages(), messagesName(), addGenerationPrompt);
        Path template = chatTemplate.resolve(io); // without -m, only the template is needed
        if (template != null && common.model == null && !ids) {
            io.out().print(withOverrides(new ChatPrompt(ChatPrompt.readTemplate(template), template.getFileName().toString(), "", ""))
                    .render(chat));
            return 0;
        }
        try (GgufFile file = GgufFile.open(ModelLocator.locate(common.model, io))) {
            // only the vocabulary and the template are needed: vocabulary-only GGUF files work too
            Tokenizer tokenizer = Tokenizer.of(file);
            ChatPrompt prompt = withOverrides(ChatPrompt.of(file.metadata(), tokenizer,
                    file.path().getFileName().toString(), template));
            String text = prompt.render(chat);
            if (ids) {
                io.out().println(Arrays.stream(prompt.tokenize(tokenizer, text)).mapToObj(Integer::toString)
                        .collect(Collectors.joining(" ")));
            } else {
                io.out().print(text);
            }
        }
        return 0;
    }

    private ChatPrompt withOverrides(ChatPrompt prompt) {
        return new ChatPrompt(prompt.template().withClock(clock()), prompt.source(),
                bosToken != null ? bosToken : prompt.bosToken(), eosToken != null ? eosToken : prompt.eosToken());
    }

    /** reproducible-builds.org's convention: a fixed UTC time in seconds since the epoch. */
    private Clock clock() {
        String epoch = io.env().get(SOURCE_DATE_EPOCH);
        if (epoch == null || epoch.isBlank()) {
            return Clock.systemDefaultZone();
        }
        try {
            return Clock.fixed(Instant.ofEpochSecond(Long.parseLong(epoch.strip())), ZoneOffset.UTC);
        } catch (NumberFormatException e) {
            throw new KvasirException("$" + SOURCE_DATE_EPOCH + " is '" + epoch + "', not a number of seconds; unset it"
                    + " or give e.g. 1741356309");
        }
    }

    private String messagesName() {
        return messages.equals("-") ? "stdin" : messages;
    }

    private String readMessages() {
        if (!messages.equals("-")) {
            return PromptOptions.readFile(Path.of(messages), io, "messages file");
        }
        try {
            return new String(io.in().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new KvasirException("cannot read the messages from stdin: " + e.getMessage());
        }
    }
}
