package dev.kvasir.compose;

import dev.kvasir.cache.KvCache;
import dev.kvasir.cache.PromptCache;
import dev.kvasir.model.Model;
import java.util.Arrays;
import java.util.List;

/**
 * How close a composed cache comes to computing the whole prompt: next-token distributions over the
 * question and a greedy continuation, compared with full recompute (the prefix cached, everything
 * after it computed). The continuation is the full recompute's greedy one, fed to both (teacher
 * forcing), so every step compares the same context; a free-running greedy run of the composed
 * cache says how long its answer stays identical.
 */
public final class CompositionQuality {
    private CompositionQuality() {
    }

    /** Full recompute of {@code [prefix][docs][question]}: per-step logits, its greedy tokens and its time to first token. */
    public record Reference(int[] question, int[] greedy, float[][] logits, double ttftMillis) {
    }

    /**
     * @param meanKl         mean KL(full ‖ composed) in nats over the question and continuation steps
     * @param top1Agreement  share of those steps whose most likely token is the same
     * @param greedyPrefix   tokens of the composed cache's own greedy answer equal to full recompute's, before the first difference
     * @param ttftMillis     composing, recomputing and evaluating the question, until the first token's logits
     */
    public record Result(double fraction, int recomputedTokens, double meanKl, double maxKl, double top1Agreement,
                         int greedyPrefix, double ttftMillis) {
    }

    /** Computes the reference: everything after the prefix evaluated in full, then {@code n} greedy tokens. */
    public static Reference reference(Model model, PromptCache prefix, List<PromptCache> documents, int[] question, int n) {
        int[] docIds = documentIds(prefix, documents);
        KvCache timed = prefix.cache().copy();
        int[] all = Segments.join(docIds, question);
        long start = System.nanoTime();
        model.forward(all, 0, all.length, timed);
        double ttft = (System.nanoTime() - start) / 1e6;

        KvCache cache = prefix.cache().copy();
        model.forward(docIds, 0, docIds.length, cache);
        float[][] logits = new float[question.length + n][];
        int[] greedy = new int[n];
        for (int i = 0; i < question.length; i++) {
            logits[i] = model.forward(question, i, 1, cache).clone();
        }
        for (int j = 0; j < n; j++) {
            greedy[j] = argmax(logits[question.length + j - 1]);
            logits[question.length + j] = model.forward(greedy, j, 1, cache).clone();
        }
        return new Reference(question.clone(), greedy, logits, ttft);
    }

    /** Composes at {@code fraction} and compares with {@code ref}. */
    public static Result measure(Model model, PromptCache prefix, List<PromptCache> documents, double fraction,
                                 Reference ref) {
        long start = System.nanoTime();
        Composition.Result composed = Composition.compose(model, prefix, documents, fraction);
        KvCache timed = composed.cache().cache().copy();
        model.forward(ref.question(), 0, ref.question().length, timed);
        double ttft = (System.nanoTime() - start) / 1e6;

        KvCache cache = composed.cache().cache();
        KvCache free = cache.copy();
        int steps = ref.logits().length;
        double sumKl = 0;
        double maxKl = 0;
        int agree = 0;
        int[] fed = Segments.join(ref.question(), ref.greedy());
        for (int i = 0; i < steps; i++) {
            float[] logits = model.forward(fed, i, 1, cache);
            double kl = kl(ref.logits()[i], logits);
            sumKl += kl;
            maxKl = Math.max(maxKl, kl);
            agree += argmax(logits) == argmax(ref.logits()[i]) ? 1 : 0;
        }
        float[] logits = model.forward(ref.question(), 0, ref.question().length, free);
        int same = 0;
        int[] next = new int[1];
        while (same < ref.greedy().length && argmax(logits) == ref.greedy()[same]) {
            next[0] = ref.greedy()[same++];
            if (same < ref.greedy().length) {
                logits = model.forward(next, 0, 1, free);
            }
        }
        return new Result(fraction, composed.recomputedTokens(), sumKl / steps, maxKl, (double) agree / steps, same, ttft);
    }

    /** KL(p ‖ q) of the softmax distributions of two logit vectors, in nats. */
    static double kl(float[] p, float[] q) {
        double[] lp = logSoftmax(p);
        double[] lq = logSoftmax(q);
        double kl = 0;
        for (int i = 0; i < lp.length; i++) {
            double pi = Math.exp(lp[i]);
            if (pi > 0) {
                kl += pi * (lp[i] - lq[i]);
            }
        }
        return Math.max(0, kl);
    }

    private static double[] logSoftmax(float[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : x) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : x) {
            sum += Math.exp(v - max);
        }
        double log = max + Math.log(sum);
        double[] r = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            r[i] = x[i] - log;
        }
        return r;
    }

    private static int argmax(float[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) {
            if (x[i] > x[best]) {
                best = i;
            }
        }
        return best;
    }

    private static int[] documentIds(PromptCache prefix, List<PromptCache> documents) {
        int[] ids = new int[0];
        for (PromptCache d : documents) {
            int[] t = d.tokens();
            ids = Segments.join(ids, Arrays.copyOfRange(t, prefix.size(), t.length));
        }
        return ids;
    }

}
