package dev.kvasir.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvasir.KvasirException;
import dev.kvasir.SharedData;
import dev.kvasir.cache.KvCache;
import dev.kvasir.model.Model;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The model thread: prompts prefilled in slices, failures reported to their request only, shutdown. */
class DecodeSchedulerTest {

    @Test
    void aPromptPrefilledInSlicesEqualsOneForward() {
        try (Model model = Model.load(SharedData.model("stories260K.gguf"));
             DecodeScheduler scheduler = new DecodeScheduler(model, new ServerMetrics())) {
            int[] prompt = new SplittableRandom(7).ints(DecodeScheduler.PREFILL_SLICE * 2 + 45, 3, 512).toArray();
            KvCache sliced = model.newCache();
            float[] logits = scheduler.prefill(prompt, 0, prompt.length, sliced);
            KvCache whole = model.newCache();
            float[] expected = model.forward(prompt, 0, prompt.length, whole);
            assertThat(Arrays.equals(logits, expected)).as("bit-identical logits").isTrue();
            assertThat(sliced.size()).isEqualTo(prompt.length);
            float[] next = scheduler.prefill(new int[] {9}, 0, 1, sliced);
            assertThat(Arrays.equals(next, model.forward(new int[] {9}, 0, 1, whole))).as("the caches agree").isTrue();
        }
    }

    @Test
    void aFailingRequestGetsItsErrorAndTheModelThreadKeepsServing() {
        try (Model model = Model.load(SharedData.model("stories260K.gguf"));
             DecodeScheduler scheduler = new DecodeScheduler(model, new ServerMetrics())) {
            try (DecodeScheduler.Sequence seq = scheduler.open()) {
                assertThatThrownBy(() -> seq.forward(new int[] {1, 100_000}, 0, 2, model.newCache()))
                        .isInstanceOf(KvasirException.class).hasMessageContaining("outside the model's vocabulary");
                assertThatThrownBy(() -> seq.forward(new int[] {-1}, 0, 1, model.newCache()))
                        .isInstanceOf(KvasirException.class).hasMessageContaining("outside the model's vocabulary");
                KvCache cache = model.newCache();
                assertThat(seq.forward(new int[] {1, 2, 3}, 0, 3, cache)).hasSize(model.config().vocabSize());
                assertThat(seq.forward(new int[] {4}, 0, 1, cache)).hasSize(model.config().vocabSize());
                assertThat(cache.size()).isEqualTo(4);
            }
        }
    }

    @Test
    void afterCloseNewWorkIsRefusedWith503() {
        try (Model model = Model.load(SharedData.model("stories260K.gguf"))) {
            DecodeScheduler scheduler = new DecodeScheduler(model, new ServerMetrics());
            scheduler.close();
            assertThatThrownBy(scheduler::open).isInstanceOfSatisfying(ApiException.class,
                    e -> assertThat(e.status()).isEqualTo(503));
            assertThatThrownBy(() -> scheduler.prefill(new int[] {1, 2}, 0, 2, model.newCache()))
                    .isInstanceOf(ApiException.class).hasMessageContaining("shutting down");
        }
    }
}
