package dev.kvasir.generate;

import dev.kvasir.SharedData;
import dev.kvasir.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

/** A {@code shared/reference/*.llama-server.json} file: a prompt and what llama-server generated greedily for it. */
record LlamaServerReference(String prompt, int[] promptTokenIds, int[] generatedTokenIds, String text) {

    static LlamaServerReference load(String name) {
        Map<?, ?> json;
        try {
            json = (Map<?, ?>) Json.parse(Files.readString(SharedData.file("reference/" + name)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new LlamaServerReference((String) json.get("prompt"), ints(json.get("prompt_token_ids")),
                ints(json.get("generated_token_ids")), (String) json.get("text"));
    }

    private static int[] ints(Object list) {
        return ((List<?>) list).stream().mapToInt(n -> ((Number) n).intValue()).toArray();
    }
}
