package dev.kvasir.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvasir.SharedData;
import dev.kvasir.cache.KvCache;
import dev.kvasir.gguf.GgufFile;
import dev.kvasir.sample.SamplerSettings;
import dev.kvasir.tokenizer.BpeVocabularies;
import dev.kvasir.tokenizer.TokenDecoder;
import dev.kvasir.tokenizer.Tokenizer;
import dev.kvasir.tokenizer.Vocabulary;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A chat model's end-of-turn token ends the generation with the real vocabularies' EOG sets. */
class EndOfGenerationTest {

    /** A fake model that greedily emits {@code script} and asks the real vocabulary what ends generation. */
    private record VocabularyBackend(Tokenizer tokenizer, int[] script, int[] calls) implements GenerationBackend {
        VocabularyBackend(Tokenizer tokenizer, int... script) {
            this(tokenizer, script, new int[1]);
        }

        @Override
        public float[] forward(int[] tokens, int from, int n, KvCache cache) {
            cache.commit(n);
            float[] logits = new float[tokenizer.vocabulary().size()];
            logits[script[calls[0]++]] = 10f;
            return logits;
        }

        @Override
        public int contextLength() {
            return 1000;
        }

        @Override
        public boolean isEndOfGeneration(int token) {
            return tokenizer.vocabulary().isEndOfGeneration(token);
        }

        @Override
        public TokenDecoder newDecoder() {
            return tokenizer.newDecoder();
        }
    }

    private static GenerationResult run(Tokenizer tokenizer, int... script) {
        var request = GenerationRequest.of(new int[] {tokenizer.vocabulary().bos()}, 50, SamplerSettings.greedy());
        return new Generation(new VocabularyBackend(tokenizer, script), request, new ScriptedBackend.CountingCache())
                .run((id, piece) -> {});
    }

    private static int[] then(int[] ids, int... more) {
        return IntStream.concat(IntStream.of(ids), IntStream.of(more)).toArray();
    }

    @Test
    void phi3StopsAtEndOfTurn() {
        Tokenizer phi3;
        try (GgufFile file = GgufFile.open(SharedData.file("tokenizers/ggml-vocab-phi-3.gguf"))) {
            phi3 = Tokenizer.of(file);
        }
        Vocabulary v = phi3.vocabulary();
        int end = v.id("<|end|>");
        int[] hi = phi3.encode("Hi there", false, false);
        GenerationResult r = run(phi3, then(hi, end, hi[0], hi[0]));
        assertThat(r.stopReason()).isEqualTo(StopReason.END_OF_GENERATION);
        assertThat(r.text()).isEqualTo(" Hi there"); // SPM's space prefix stays in streamed pieces
        assertThat(r.generatedTokens()).containsExactly(hi); // the EOG id is not part of the output
        // <|endoftext|> (EOS) stops too; a turn header is not an end
        assertThat(run(phi3, hi[0], v.eos(), hi[0]).stopReason()).isEqualTo(StopReason.END_OF_GENERATION);
        assertThat(v.isEndOfGeneration(v.id("<|assistant|>"))).isFalse();
    }

    @Test
    void llama3StopsAtEotId() {
        Tokenizer llama3 = Tokenizer.of(BpeVocabularies.llama3(SharedData.file("tokenizers/llama3.2-bpe")));
        Vocabulary v = llama3.vocabulary();
        int eot = v.id("<|eot_id|>");
        int[] hi = llama3.encode("Hi there", false, false);
        GenerationResult r = run(llama3, then(hi, eot, hi[0]));
        assertThat(r.stopReason()).isEqualTo(StopReason.END_OF_GENERATION);
        assertThat(r.text()).isEqualTo("Hi there");
        assertThat(r.generatedTokens()).containsExactly(hi);
        assertThat(v.isEndOfGeneration(v.id("<|end_header_id|>"))).isFalse();
    }
}
