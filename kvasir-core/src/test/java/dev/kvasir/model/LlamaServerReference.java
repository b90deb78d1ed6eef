package dev.kvasir.model;

import dev.kvasir.SharedData;
import dev.kvasir.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

/** A {@code shared/reference/*.llama-server.json} file: llama-server's greedy continuation of a prompt. */
record LlamaServerReference(String prompt, int[] promptIds, int[] generatedIds) {

    static LlamaServerReference load(String fileName) {
        Map<?, ?> json;
        try {
            json = (Map<?, ?>) Json.parse(Files.readString(SharedData.file("reference/" + fileName)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new LlamaServerReference((String) json.get("prompt"), ids(json.get("prompt_token_ids")),
                ids(json.get("generated_token_ids")));
    }

    private static int[] ids(Object list) {
        return ((List<?>) list).stream().mapToInt(o -> ((Long) o).intValue()).toArray();
    }
}
