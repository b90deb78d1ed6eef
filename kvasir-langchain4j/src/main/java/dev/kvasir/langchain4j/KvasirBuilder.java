package dev.kvasir.langchain4j;

import dev.kvasir.api.Kvasir;
import dev.kvasir.api.KvasirModel;
import dev.kvasir.api.LoadOptions;
import dev.kvasir.api.Params;
import dev.kvasir.sample.SamplerSettings;
import java.nio.file.Path;
import java.util.List;

/**
 * The settings {@link KvasirChatModel} and {@link KvasirStreamingChatModel} share, in LangChain4j's builder
 * style. Give either {@link #modelPath} (the chat model loads the GGUF file and closes it) or {@link #model}
 * (a handle you loaded, e.g. to share it between a chat and a streaming model; you close it). Unset sampling
 * values take llama.cpp's defaults; a request's own parameters override these.
 *
 * @param <B> the concrete builder
 */
public abstract class KvasirBuilder<B extends KvasirBuilder<B>> {
    private Path modelPath;
    private KvasirModel model;
    private Path cacheDir;
    private Integer maxCachedPrompts;
    private Path chatTemplate;
    private Double temperature;
    private Double topP;
    private Integer topK;
    private Double minP;
    private Double frequencyPenalty;
    private Double presencePenalty;
    private Double repeatPenalty;
    private Integer maxTokens;
    private Long seed;
    private List<String> stopSequences = List.of();

    KvasirBuilder() {}

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** The GGUF model file to load. */
    public B modelPath(Path path) {
        this.modelPath = path;
        return self();
    }

    /** {@link #modelPath(Path)} from a string. */
    public B modelPath(String path) {
        return modelPath(Path.of(path));
    }

    /** An already loaded model (instead of {@link #modelPath}); the chat model does not close it. */
    public B model(KvasirModel loaded) {
        this.model = loaded;
        return self();
    }

    /** Keep the conversations' prompt caches as .kvc files here, so that an application restart keeps them. */
    public B cacheDir(Path dir) {
        this.cacheDir = dir;
        return self();
    }

    /** How many conversations' caches are kept (least recently used dropped first; default 8). */
    public B maxCachedPrompts(int n) {
        this.maxCachedPrompts = n;
        return self();
    }

    /** A Jinja chat template file to use instead of the model's own. */
    public B chatTemplate(Path file) {
        this.chatTemplate = file;
        return self();
    }

    /** Sampling temperature; 0 always picks the most likely token (default 0.8). */
    public B temperature(Double t) {
        this.temperature = t;
        return self();
    }

    /** Nucleus sampling: keep the most likely tokens up to this probability mass; 1 disables (default 0.95). */
    public B topP(Double p) {
        this.topP = p;
        return self();
    }

    /** Keep the K most likely tokens; 0 disables (default 40). */
    public B topK(Integer k) {
        this.topK = k;
        return self();
    }

    /** Drop tokens less likely than minP times the most likely one; 0 disables (default 0.05). */
    public B minP(Double p) {
        this.minP = p;
        return self();
    }

    /** OpenAI-style frequency penalty; 0 disables (default). */
    public B frequencyPenalty(Double f) {
        this.frequencyPenalty = f;
        return self();
    }

    /** OpenAI-style presence penalty; 0 disables (default). */
    public B presencePenalty(Double p) {
        this.presencePenalty = p;
        return self();
    }

    /** llama.cpp's repetition penalty over the last 64 tokens; 1 disables (default). */
    public B repeatPenalty(Double r) {
        this.repeatPenalty = r;
        return self();
    }

    /** Most tokens per answer (default 256). */
    public B maxTokens(Integer n) {
        this.maxTokens = n;
        return self();
    }

    /** Seed of the random draws, for reproducible answers at a temperature above 0 (default: random). */
    public B seed(Long s) {
        this.seed = s;
        return self();
    }

    /** Stop strings: the answer ends before the first one. */
    public B stopSequences(List<String> stops) {
        this.stopSequences = List.copyOf(stops);
        return self();
    }

    /** The model handle, loaded here when {@link #modelPath} was given; {@code owned[0]} says whether the caller must close it. */
    KvasirModel resolveModel(boolean[] owned) {
        if ((modelPath == null) == (model == null)) {
            throw new IllegalArgumentException("give exactly one of modelPath(...) and model(...)");
        }
        if (model != null) {
            if (cacheDir != null || maxCachedPrompts != null || chatTemplate != null) {
                throw new IllegalArgumentException("cacheDir, maxCachedPrompts and chatTemplate apply when the model is "
                        + "loaded: pass them to Kvasir.load(path, LoadOptions) for a model(...) you load yourself");
            }
            owned[0] = false;
            return model;
        }
        LoadOptions options = LoadOptions.defaults().withCacheDir(cacheDir).withChatTemplate(chatTemplate);
        if (maxCachedPrompts != null) {
            options = options.withMaxCachedPrompts(maxCachedPrompts);
        }
        owned[0] = true;
        return Kvasir.load(modelPath, options);
    }

    /** The defaults every request starts from. */
    Params params() {
        SamplerSettings s = SamplerSettings.defaults();
        if (temperature != null) {
            s = s.withTemperature(temperature.floatValue());
        }
        if (topP != null) {
            s = s.withTopP(topP.floatValue());
        }
        if (topK != null) {
            s = s.withTopK(topK);
        }
        if (minP != null) {
            s = s.withMinP(minP.floatValue());
        }
        if (frequencyPenalty != null || presencePenalty != null) {
            s = s.withFrequencyAndPresencePenalty(frequencyPenalty == null ? 0 : frequencyPenalty.floatValue(),
                    presencePenalty == null ? 0 : presencePenalty.floatValue());
        }
        if (repeatPenalty != null) {
            s = s.withRepeatPenalty(repeatPenalty.floatValue(), s.repeatLastN());
        }
        if (seed != null) {
            s = s.withSeed(seed);
        }
        Params p = Params.defaults().withSampling(s).withStop(stopSequences);
        return maxTokens == null ? p : p.withMaxTokens(maxTokens);
    }
}
