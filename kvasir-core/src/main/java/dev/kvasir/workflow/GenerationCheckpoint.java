package dev.kvasir.workflow;

import dev.kvasir.KvasirException;
import dev.kvasir.json.Json;
import dev.kvasir.sample.SamplerSettings;
import dev.kvasir.sample.SamplerState;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a checkpointed generation needs to continue with identical draws, stored as .kvc user
 * metadata next to the KV cache: the settings, the sampler's state, the request, and the output so far.
 *
 * <p>The KV cache of a generation holds every generated token but the last (it is fed when the next
 * one is needed), so a resumed run feeds that last token, and a generation feeds its input to the
 * sampler's penalty history: {@link #samplerState} therefore holds the history without it.
 *
 * @param promptTokens how many prompt tokens precede the generated ones in the cache
 * @param generated    every token generated so far
 * @param text         the text output so far
 */
public record GenerationCheckpoint(SamplerSettings settings, SamplerState samplerState, int promptTokens,
                                   int[] generated, int maxTokens, List<String> stopStrings, String text,
                                   boolean finished) {
    private static final String P = "gen.";

    public GenerationCheckpoint {
        generated = generated.clone();
        stopStrings = List.copyOf(stopStrings);
    }

    @Override
    public int[] generated() {
        return generated.clone();
    }

    /** The state as a sampler has it after accepting the last generated token; its history drops that token. */
    public static SamplerState beforeLastToken(SamplerState s, boolean hasGenerated) {
        int[] h = s.history();
        return hasGenerated && h.length > 0 ? new SamplerState(s.seed(), s.rngState(), s.draws(), Arrays.copyOf(h, h.length - 1)) : s;
    }

    public Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(CacheKeys.KIND, CacheKeys.GENERATION);
        SamplerSettings s = settings;
        m.put(P + "settings", s.temperature() + " " + s.topK() + " " + s.topP() + " " + s.minP() + " " + s.repeatPenalty()
                + " " + s.repeatLastN() + " " + s.frequencyPenalty() + " " + s.presencePenalty() + " " + s.seed());
        m.put(P + "sampler", samplerState.seed() + " " + samplerState.rngState() + " " + samplerState.draws());
        m.put(P + "history", ints(samplerState.history()));
        m.put(P + "prompt_tokens", Integer.toString(promptTokens));
        m.put(P + "generated", ints(generated));
        m.put(P + "max_tokens", Integer.toString(maxTokens));
        m.put(P + "stop", Json.write(stopStrings));
        m.put(P + "text", text);
        m.put(P + "finished", Boolean.toString(finished));
        return m;
    }

    /** Reads a checkpoint back; a file that is not a generation checkpoint gets a one-line refusal naming it. */
    public static GenerationCheckpoint fromMetadata(Map<String, String> m, String file) {
        if (!CacheKeys.GENERATION.equals(m.get(CacheKeys.KIND)) || !m.containsKey(P + "sampler")) {
            throw new KvasirException(file + ": not a generation checkpoint (kind '" + m.get(CacheKeys.KIND)
                    + "'); pass a file written by 'kvasir generate --checkpoint'");
        }
        try {
            String[] s = m.get(P + "settings").split(" ");
            SamplerSettings settings = new SamplerSettings(Float.parseFloat(s[0]), Integer.parseInt(s[1]),
                    Float.parseFloat(s[2]), Float.parseFloat(s[3]), Float.parseFloat(s[4]), Integer.parseInt(s[5]),
                    Float.parseFloat(s[6]), Float.parseFloat(s[7]), Long.parseLong(s[8]));
            String[] r = m.get(P + "sampler").split(" ");
            SamplerState state = new SamplerState(Long.parseLong(r[0]), Long.parseLong(r[1]), Long.parseLong(r[2]),
                    parseInts(m.get(P + "history")));
            @SuppressWarnings("unchecked")
            List<String> stops = (List<String>) Json.parse(m.get(P + "stop"));
            return new GenerationCheckpoint(settings, state, Integer.parseInt(m.get(P + "prompt_tokens")),
                    parseInts(m.get(P + "generated")), Integer.parseInt(m.get(P + "max_tokens")), stops,
                    m.get(P + "text"), Boolean.parseBoolean(m.get(P + "finished")));
        } catch (RuntimeException e) {
            throw new KvasirException(file + ": the generation checkpoint's metadata is damaged (" + e.getMessage()
                    + "); start the generation again");
        }
    }

    private static String ints(int[] values) {
        return Arrays.stream(values).mapToObj(Integer::toString).collect(Collectors.joining(" "));
    }

    private static int[] parseInts(String text) {
        return text.isEmpty() ? new int[0] : Arrays.stream(text.split(" ")).mapToInt(Integer::parseInt).toArray();
    }
}
