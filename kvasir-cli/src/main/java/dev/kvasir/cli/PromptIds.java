package dev.kvasir.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kvasir.KvasirException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** {@code --prompt-ids FILE|-}: a prompt given as a JSON array of token ids. */
final class PromptIds {
    private PromptIds() {}

    static int[] read(String source, boolean conflicting, CliIo io) {
        if (conflicting) {
            throw new KvasirException("--prompt-ids replaces the prompt: do not also give -p/--prompt-file or --cache");
        }
        String where = source.equals("-") ? "stdin" : io.workingDir().resolve(source).toString();
        JsonNode node;
        try {
            byte[] bytes = source.equals("-") ? io.in().readAllBytes() : Files.readAllBytes(io.workingDir().resolve(source));
            node = new ObjectMapper().readTree(bytes);
        } catch (NoSuchFileException e) {
            throw new KvasirException("--prompt-ids " + where + ": no such file");
        } catch (IOException e) {
            throw new KvasirException("--prompt-ids " + where + ": not a JSON array of token ids");
        }
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw new KvasirException("--prompt-ids " + where + ": expected a non-empty JSON array of token ids, e.g. [1, 450, 2217]");
        }
        int[] ids = new int[node.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode id = node.get(i);
            if (!id.canConvertToInt() || !id.isIntegralNumber()) {
                throw new KvasirException("--prompt-ids " + where + ": element " + i + " (" + id + ") is not a token id");
            }
            ids[i] = id.intValue();
        }
        return ids;
    }
}
