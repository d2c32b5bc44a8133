package io.dafedge.train.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

class AveragePrecisionTest {
    private static final boolean F = false;
    private static final boolean T = true;

    @Test
    void scikitLearnDocumentationExample() {
        // y = [0, 0, 1, 1], scores = [0.1, 0.4, 0.35, 0.8]. Thresholds from the top:
        // 0.8: TP 1, FP 0 -> R 1/2, P 1;  0.4: TP 1, FP 1 -> R unchanged;  0.35: TP 2, FP 1 -> R 1, P 2/3.
        // AP = 1/2 * 1 + 1/2 * 2/3 = 5/6.
        assertEquals(5.0 / 6, AveragePrecision.of(new float[] {0.1f, 0.4f, 0.35f, 0.8f}, new boolean[] {F, F, T, T}),
                1e-15);
    }

    @Test
    void tiesFormOneThresholdWhateverTheOrder() {
        // 0.5 holds two positives and one negative: one step, R 0 -> 1 at P 2/3, never P 1 for the first positive.
        assertEquals(2.0 / 3, AveragePrecision.of(new float[] {0.5f, 0.5f, 0.5f, 0.1f}, new boolean[] {F, T, T, F}),
                1e-15);
        assertEquals(2.0 / 3, AveragePrecision.of(new float[] {0.5f, 0.5f, 0.5f, 0.1f}, new boolean[] {T, T, F, F}),
                1e-15);
    }

    @Test
    void perfectRankingOrNoNegativesIsOne() {
        assertEquals(1.0, AveragePrecision.of(new float[] {0.1f, 0.2f, 0.8f, 0.9f}, new boolean[] {F, F, T, T}));
        assertEquals(1.0, AveragePrecision.of(new float[] {0.1f, 0.2f}, new boolean[] {T, T}));
    }

    @Test
    void noPositivesIsNaN() {
        assertEquals(Double.NaN, AveragePrecision.of(new float[] {0.1f, 0.9f}, new boolean[] {F, F}));
        assertEquals(Double.NaN, AveragePrecision.of(new float[0], new boolean[0]));
    }

    @Test
    void badInputIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> AveragePrecision.of(new float[] {1f, Float.NaN}, new boolean[] {F, T}));
        assertThrows(IllegalArgumentException.class, () -> AveragePrecision.of(new float[] {1f}, new boolean[0]));
    }

    @Test
    void agreesWithTheDefinitionOnRandomData() {
        SplittableRandom random = new SplittableRandom(3);
        for (int run = 0; run < 3000; run++) {
            int levels = run % 3 == 0 ? 0 : 1 + random.nextInt(6);
            Samples s = Samples.random(random, random.nextInt(1, 80), random.nextDouble(), levels);
            assertEquals(definition(s), AveragePrecision.of(s.scores(), s.labels()), 1e-12, "run " + run);
        }
    }

    /** Spans several negative blocks, with more distinct positive scores than a block in the second case. */
    @Test
    void agreesWithLevelCountingOnMillionsOfScores() {
        SplittableRandom random = new SplittableRandom(4);
        for (int levels : new int[] {1000, 1 << 22}) {
            Samples s = Samples.random(random, 3_000_000, 0.5, levels);
            assertEquals(levelCounting(s, levels), AveragePrecision.of(s.scores(), s.labels()), 1e-9,
                    levels + " levels");
        }
    }

    /** Sum over distinct thresholds t, from the top, of (R(t) - R(previous)) * P(t), each counted over all scores. */
    private static double definition(Samples s) {
        TreeSet<Float> thresholds = new TreeSet<>();
        long positives = 0;
        for (int i = 0; i < s.scores().length; i++) {
            thresholds.add(s.scores()[i]);
            positives += s.labels()[i] ? 1 : 0;
        }
        if (positives == 0) {
            return Double.NaN;
        }
        double ap = 0;
        double previousRecall = 0;
        for (float t : thresholds.descendingSet()) {
            long tp = 0;
            long fp = 0;
            for (int i = 0; i < s.scores().length; i++) {
                if (s.scores()[i] >= t) {
                    tp += s.labels()[i] ? 1 : 0;
                    fp += s.labels()[i] ? 0 : 1;
                }
            }
            double recall = (double) tp / positives;
            ap += (recall - previousRecall) * tp / (tp + fp);
            previousRecall = recall;
        }
        return ap;
    }

    /** The same sum over a histogram of integer scores in [-levels/2, levels/2). */
    private static double levelCounting(Samples s, int levels) {
        long[] positives = new long[levels];
        long[] negatives = new long[levels];
        long p = 0;
        for (int i = 0; i < s.scores().length; i++) {
            (s.labels()[i] ? positives : negatives)[(int) s.scores()[i] + levels / 2]++;
            p += s.labels()[i] ? 1 : 0;
        }
        double ap = 0;
        long tp = 0;
        long fp = 0;
        for (int l = levels - 1; l >= 0; l--) {
            tp += positives[l];
            fp += negatives[l];
            if (positives[l] > 0) {
                ap += (double) positives[l] / p * tp / (tp + fp);
            }
        }
        return ap;
    }
}
