package dev.kvasir.tokenizer;

import dev.kvasir.SharedData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * llama.cpp's tokenizer test vectors (tests/test-tokenizer-0) in shared/tokenizers: {@code NAME.gguf.inp}
 * holds strings each followed by {@code "\n__ggml_vocab_test__\n"}, {@code NAME.gguf.out} one line of ids per
 * string, produced with add_special = false and parse_special = false (so never a BOS).
 */
public final class VocabTestVectors {
    private static final String SEPARATOR = "\n__ggml_vocab_test__\n";

    /** One test string and llama.cpp's ids for it. */
    public record Case(String text, int[] ids) {
        @Override
        public String toString() {
            return "'" + text + "' -> " + Arrays.toString(ids);
        }
    }

    private VocabTestVectors() {
    }

    /** The cases of a set such as "ggml-vocab-gpt-2.gguf"; skips the test when shared/ is absent. */
    public static List<Case> read(String vocabFileName) {
        Path inp = SharedData.file("tokenizers/" + vocabFileName + ".inp");
        Path out = SharedData.file("tokenizers/" + vocabFileName + ".out");
        try {
            return parse(Files.readString(inp, StandardCharsets.UTF_8), Files.readString(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Case> parse(String inp, String out) {
        List<String> texts = new ArrayList<>();
        int pos = 0;
        while (pos < inp.length()) {
            int next = inp.indexOf(SEPARATOR, pos);
            if (next < 0) {
                texts.add(inp.substring(pos));
                break;
            }
            texts.add(inp.substring(pos, next));
            pos = next + SEPARATOR.length();
        }
        List<String> lines = out.lines().toList();
        if (lines.size() != texts.size()) {
            throw new IllegalStateException(texts.size() + " test strings but " + lines.size() + " id lines");
        }
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            String line = lines.get(i).strip();
            int[] ids = line.isEmpty() ? new int[0]
                    : Arrays.stream(line.split("\\s+")).mapToInt(Integer::parseInt).toArray();
            cases.add(new Case(texts.get(i), ids));
        }
        return cases;
    }
}
