package io.dafedge.train.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class AurocTest {
    private static final boolean F = false;
    private static final boolean T = true;

    @Test
    void perfectSeparationIsOneAndInvertedIsZero() {
        assertEquals(1.0, Auroc.of(new float[] {0.1f, 0.2f, 0.8f, 0.9f}, new boolean[] {F, F, T, T}));
        assertEquals(0.0, Auroc.of(new float[] {0.1f, 0.2f, 0.8f, 0.9f}, new boolean[] {T, T, F, F}));
    }

    @Test
    void allScoresEqualIsOneHalf() {
        assertEquals(0.5, Auroc.of(new float[] {0.3f, 0.3f, 0.3f, 0.3f, 0.3f}, new boolean[] {F, T, F, T, T}));
    }

    @Test
    void handComputedCases() {
        // Pairs (positive, negative): 0.35 beats 0.1, loses to 0.4; 0.8 beats both: 3 of 4.
        assertEquals(0.75, Auroc.of(new float[] {0.1f, 0.4f, 0.35f, 0.8f}, new boolean[] {F, F, T, T}));
        // A tie across classes: 0.4 beats 0.1 and ties 0.4 (one half); 0.8 beats both: 3.5 of 4.
        assertEquals(0.875, Auroc.of(new float[] {0.1f, 0.4f, 0.4f, 0.8f}, new boolean[] {F, F, T, T}));
        // -0.0 and 0.0 are one threshold: a tie.
        assertEquals(0.5, Auroc.of(new float[] {-0f, 0f}, new boolean[] {T, F}));
        assertEquals(1.0, Auroc.of(new float[] {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY},
                new boolean[] {F, T}));
    }

    @Test
    void aSingleClassOrNothingIsNaN() {
        assertEquals(Double.NaN, Auroc.of(new float[] {0.1f, 0.9f}, new boolean[] {T, T}));
        assertEquals(Double.NaN, Auroc.of(new float[] {0.1f, 0.9f}, new boolean[] {F, F}));
        assertEquals(Double.NaN, Auroc.of(new float[0], new boolean[0]));
    }

    @Test
    void badInputIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Auroc.of(new float[] {Float.NaN, 1f}, new boolean[] {F, T}));
        assertThrows(IllegalArgumentException.class, () -> Auroc.of(new float[] {1f}, new boolean[] {F, T}));
    }

    @Test
    void agreesExactlyWithPairCountingOnRandomData() {
        SplittableRandom random = new SplittableRandom(1);
        for (int run = 0; run < 3000; run++) {
            int levels = run % 3 == 0 ? 0 : 1 + random.nextInt(6);
            Samples s = Samples.random(random, random.nextInt(1, 80), random.nextDouble(), levels);
            assertEquals(pairCounting(s), Auroc.of(s.scores(), s.labels()), 0.0, "run " + run);
        }
    }

    /** Counting only some positives equals dropping the others (here: the odd indices) before pair counting. */
    @Test
    void countingASubsetOfPositivesEqualsDroppingTheOthers() {
        SplittableRandom random = new SplittableRandom(3);
        for (int run = 0; run < 500; run++) {
            Samples s = Samples.random(random, random.nextInt(1, 80), random.nextDouble(), run % 2 == 0 ? 0 : 4);
            boolean[] kept = new boolean[s.scores().length];
            int n = 0;
            for (int i = 0; i < kept.length; i++) {
                kept[i] = !s.labels()[i] || i % 2 == 0;
                n += kept[i] ? 1 : 0;
            }
            float[] scores = new float[n];
            boolean[] labels = new boolean[n];
            for (int i = 0, j = 0; i < kept.length; i++) {
                if (kept[i]) {
                    scores[j] = s.scores()[i];
                    labels[j++] = s.labels()[i];
                }
            }
            assertEquals(pairCounting(new Samples(scores, labels)), Auroc.of(s.scores(), s.labels(), i -> i % 2 == 0),
                    0.0, "run " + run);
        }
    }

    /** Spans several negative blocks, with more distinct positive scores than a block in the second case. */
    @Test
    void agreesExactlyWithLevelCountingOnMillionsOfScores() {
        SplittableRandom random = new SplittableRandom(2);
        for (int levels : new int[] {1000, 1 << 22}) {
            Samples s = Samples.random(random, 3_000_000, 0.5, levels);
            assertEquals(levelCounting(s, levels), Auroc.of(s.scores(), s.labels()), 0.0, levels + " levels");
        }
    }

    /** The Mann-Whitney U from every (positive, negative) pair. */
    private static double pairCounting(Samples s) {
        long positives = 0;
        long negatives = 0;
        long twiceU = 0;
        for (int i = 0; i < s.scores().length; i++) {
            if (!s.labels()[i]) {
                negatives++;
                continue;
            }
            positives++;
            for (int j = 0; j < s.scores().length; j++) {
                if (!s.labels()[j]) {
                    twiceU += s.scores()[i] > s.scores()[j] ? 2 : s.scores()[i] == s.scores()[j] ? 1 : 0;
                }
            }
        }
        return positives == 0 || negatives == 0 ? Double.NaN : twiceU / (2.0 * positives * negatives);
    }

    /** The Mann-Whitney U from a histogram of integer scores in [-levels/2, levels/2). */
    private static double levelCounting(Samples s, int levels) {
        long[] positives = new long[levels];
        long[] negatives = new long[levels];
        for (int i = 0; i < s.scores().length; i++) {
            (s.labels()[i] ? positives : negatives)[(int) s.scores()[i] + levels / 2]++;
        }
        long below = 0;
        long twiceU = 0;
        long p = 0;
        for (int l = 0; l < levels; l++) {
            twiceU += positives[l] * (2 * below + negatives[l]);
            below += negatives[l];
            p += positives[l];
        }
        return twiceU / (2.0 * p * below);
    }
}
