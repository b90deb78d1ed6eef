package dev.kvasir.generate;

import dev.kvasir.SharedData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A {@code shared/reference/*.llama-server.json} file: a prompt and what llama-server generated greedily for it. */
record LlamaServerReference(String prompt, int[] promptTokenIds, int[] generatedTokenIds, String text) {

    static LlamaServerReference load(String name) {
        String json;
        try {
            json = Files.readString(SharedData.file("reference/" + name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new LlamaServerReference(string(json, "prompt"), ints(json, "prompt_token_ids"),
                ints(json, "generated_token_ids"), string(json, "text"));
    }

    private static Matcher field(String json, String name, String valuePattern) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*" + valuePattern).matcher(json);
        if (!m.find()) {
            throw new AssertionError("reference has no field " + name);
        }
        return m;
    }

    private static int[] ints(String json, String name) {
        String body = field(json, name, "\\[([^\\]]*)\\]").group(1);
        return Arrays.stream(body.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .mapToInt(Integer::parseInt).toArray();
    }

    /** A JSON string value, unescaped. */
    private static String string(String json, String name) {
        String raw = field(json, name, "\"((?:[^\"\\\\]|\\\\.)*)\"").group(1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = raw.charAt(++i);
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    out.append((char) Integer.parseInt(raw.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(e); // \" \\ \/
            }
        }
        return out.toString();
    }
}
