package dev.kvasir.cli;

import dev.kvasir.KvasirException;
import dev.kvasir.gguf.GgufFile;
import dev.kvasir.tokenizer.Tokenizer;
import dev.kvasir.tokenizer.Vocabulary;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kvasir tokenize}: the token ids llama.cpp would feed the model for a text. */
@Command(name = "tokenize", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Print the token ids of a text (works on vocabulary-only GGUF files too).")
final class TokenizeCommand extends ModelCommand {
    @Option(names = "--no-bos", description = "Do not add the BOS (or EOS) token the model asks for.")
    boolean noBos;

    @Option(names = "--parse-special", description = "Turn control-token texts such as <s> into their ids.")
    boolean parseSpecial;

    @Option(names = "--json", description = "Print {\"ids\": [...]}.")
    boolean json;

    @Option(names = "--pieces", description = "Print one token per line with its text.")
    boolean pieces;

    @Option(names = "--batch", description = "Read one JSON string per stdin line, print one JSON array of ids per line.")
    boolean batch;

    TokenizeCommand(CliIo io) {
        super(io);
    }

    @Override
    public Integer call() {
        if (batch && (prompt.given() || json || pieces)) {
            throw new KvasirException("--batch reads the texts from stdin and prints JSON arrays; do not combine it"
                    + " with -p, --prompt-file, --json or --pieces");
        }
        String text = batch ? null : prompt.read(io);
        // only the vocabulary is needed, so vocabulary-only GGUF files work and no weights are validated
        try (GgufFile file = GgufFile.open(ModelLocator.locate(common.model, io))) {
            Tokenizer tokenizer = Tokenizer.of(Vocabulary.fromGguf(file.metadata()));
            if (batch) {
                new BatchTokenizer(tokenizer, !noBos, parseSpecial).run(io);
                return 0;
            }
            int[] ids = tokenizer.encode(text, !noBos, parseSpecial);
            if (json) {
                io.out().println(Json.write(new TokenizeJson(ids)));
            } else if (pieces) {
                for (int id : ids) {
                    String piece = new String(tokenizer.pieceBytes(id, true), StandardCharsets.UTF_8);
                    io.out().printf("%6d %s%n", id, Json.write(piece));
                }
            } else {
                io.out().println(Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(" ")));
            }
        }
        return 0;
    }

    record TokenizeJson(int[] ids) {}
}
