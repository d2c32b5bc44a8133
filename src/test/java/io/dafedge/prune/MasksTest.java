package io.dafedge.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.dafedge.prune.LayerScheme.Kind;

class MasksTest {
    private static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = (float) r.nextGaussian();
        }
        return w;
    }

    @Test
    void aBlockOfOneByOneKernelsGoesWhole() {
        // 4 filters x 2 channels, blocks of 2 x 2: filters 0-1 are weak, filters 2-3 strong
        float[] w = {0.1f, -0.2f, 0.1f, 0.1f, 3f, -2f, 1f, 2f};
        float[] mask = Masks.blockPunched(w, new int[] {4, 2, 1, 1}, 2, 2, 0.5);
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 1, 1, 1}, mask);
    }

    @Test
    void positionsGoTogetherForTheWholeBlockByTheirCombinedWeight() {
        // 2 filters x 1 channel of 3x3 in one block: position 4 is weak in filter 0 but strong in filter 1, so it
        // stays; positions 0, 8 and 2 are the weakest summed over both filters
        float[] f0 = {0.1f, 1, 0.2f, 1, 0.0f, 1, 1, 1, 0.1f};
        float[] f1 = {0.1f, 1, 0.3f, 1, 5.0f, 1, 1, 1, 0.2f};
        float[] w = new float[18];
        System.arraycopy(f0, 0, w, 0, 9);
        System.arraycopy(f1, 0, w, 9, 9);
        float[] mask = Masks.blockPunched(w, new int[] {2, 1, 3, 3}, 2, 1, 3.0 / 9);
        float[] kept = {0, 1, 0, 1, 1, 1, 1, 1, 0};
        float[] both = new float[18];
        System.arraycopy(kept, 0, both, 0, 9);
        System.arraycopy(kept, 0, both, 9, 9);
        assertArrayEquals(both, mask);
    }

    @Test
    void edgeBlocksAreJudgedByTheirMeanNotTheirSum() {
        // blocks {f0, f1} (sum 2, mean 1) and {f2} (sum 1.44, mean 1.44): the first one goes
        float[] mask = Masks.blockPunched(new float[] {1, 1, 1.2f}, new int[] {3, 1, 1, 1}, 2, 1, 0.5);
        assertArrayEquals(new float[] {0, 0, 1}, mask);
    }

    @Test
    void everyBlockSharesItsPositionsAndTheRateIsMet() {
        int[] shape = {24, 20, 3, 3};
        float[] w = random(24 * 20 * 9, 1);
        float[] mask = Masks.blockPunched(w, shape, 8, 4, 0.6);
        for (int f = 0; f < 24; f++) {
            for (int c = 0; c < 20; c++) {
                for (int p = 0; p < 9; p++) {
                    int lead = ((f / 8 * 8) * 20 + c / 4 * 4) * 9 + p;
                    assertEquals(mask[lead], mask[(f * 20 + c) * 9 + p], "block shares position " + p);
                }
            }
        }
        assertEquals(0.6, Masks.sparsity(mask), 1e-9);
    }

    @Test
    void aKernelKeepsThePatternHoldingMostOfItsWeight() {
        float[] k = {2, 2, 0, 2, 1, 0, 0, 0, 0.5f}; // {0, 1, 3, 4} holds 13 of 13.25
        assertArrayEquals(new float[] {1, 1, 0, 1, 1, 0, 0, 0, 0}, Masks.pattern(k, new int[] {1, 1, 3, 3}, 1, 0));
        for (int[] p : Masks.PATTERNS) {
            assertEquals(Masks.PATTERN_SIZE, p.length);
            assertEquals(true, java.util.Arrays.stream(p).anyMatch(i -> i == 4), "every pattern keeps the centre");
        }
    }

    @Test
    void connectivityRemovesTheWeakestKernelsWhole() {
        float[] w = random(4 * 9, 2);
        for (int i = 9; i < 18; i++) {
            w[i] *= 0.01f; // kernel 1 weakest
        }
        for (int i = 27; i < 36; i++) {
            w[i] *= 0.02f; // kernel 3 next
        }
        float[] mask = Masks.pattern(w, new int[] {2, 2, 3, 3}, 1, 0.5);
        for (int k = 0; k < 4; k++) {
            float sum = 0;
            for (int i = 0; i < 9; i++) {
                sum += mask[k * 9 + i];
            }
            assertEquals(k == 1 || k == 3 ? 0 : 4, sum, "kernel " + k);
        }
    }

    @Test
    void aBlockOfFiltersSharesOnePatternPerInputChannelAndLosesItsKernelsTogether() {
        int[] shape = {40, 6, 3, 3}; // blocks of 32 and 8 filters
        float[] w = random(40 * 6 * 9, 6);
        for (int f = 32; f < 40; f++) {
            for (int i = 0; i < 9; i++) {
                w[(f * 6 + 2) * 9 + i] *= 0.001f; // the last block's kernels on input channel 2 are the weakest
            }
        }
        float[] mask = Masks.pattern(w, shape, 32, 1.0 / 12);
        for (int c = 0; c < 6; c++) {
            for (int f = 0; f < 40; f++) {
                int lead = ((f < 32 ? 0 : 32) * 6 + c) * 9;
                for (int p = 0; p < 9; p++) {
                    assertEquals(mask[lead + p], mask[(f * 6 + c) * 9 + p], "filter " + f + " channel " + c);
                }
            }
        }
        for (int f = 32; f < 40; f++) {
            for (int i = 0; i < 9; i++) {
                assertEquals(0f, mask[(f * 6 + 2) * 9 + i], "the weakest block kernel goes whole");
            }
        }
        // every kernel keeps 4 of 9 except the 8 removed with their block
        assertEquals(1 - (40 * 6 - 8) * 4.0 / (40 * 6 * 9), Masks.sparsity(mask), 1e-9);
    }

    @Test
    void badShapesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Masks.blockPunched(new float[5], new int[] {2, 2, 1, 1}, 1, 1, 0.5));
        assertThrows(IllegalArgumentException.class, () -> Masks.pattern(new float[4], new int[] {1, 1, 2, 2}, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> Masks.pattern(new float[9], new int[] {1, 1, 3, 3}, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Masks.blockPunched(new float[4], new int[] {2, 2, 1, 1}, 1, 1, 1.5));
    }

    @Test
    void theRuleMapperReachesTheTargetOnEveryKindOfLayer() {
        double target = 0.75;
        LayerScheme dense3x3 = RuleMapper.map("a", new int[] {32, 48, 3, 3}, target);
        assertEquals(Kind.PATTERN, dense3x3.kind());
        assertEquals(0.4375, dense3x3.rate(), 1e-12); // 4/9 kept by the pattern x 0.5625 of kernels = 0.25
        assertEquals(target, Masks.sparsity(dense3x3.mask(random(32 * 48 * 9, 3), 1)), 1e-3);

        assertEquals(32, dense3x3.blockFilters());
        // depthwise kernels hold channels in a vector: nothing a compiled kernel could skip
        assertEquals(Kind.DENSE, RuleMapper.map("b", new int[] {144, 1, 3, 3}, target).kind());

        LayerScheme pointwise = RuleMapper.map("c", new int[] {96, 144, 1, 1}, target);
        assertEquals(Kind.BLOCK, pointwise.kind());
        assertEquals(32, pointwise.blockFilters());
        assertEquals(1, pointwise.blockChannels());
        assertEquals(24, RuleMapper.map("narrow", new int[] {24, 144, 1, 1}, target).blockFilters());
        assertEquals(target, Masks.sparsity(pointwise.mask(random(96 * 144, 5), 1)), 1e-9);
        assertEquals(0.375, Masks.sparsity(pointwise.mask(random(96 * 144, 5), 0.5)), 1e-9);

        assertEquals(Kind.DENSE, RuleMapper.map("first", new int[] {32, 3, 3, 3}, target).kind());
        assertEquals(Kind.DENSE, RuleMapper.map("d", new int[] {96, 144, 1, 1}, 0).kind());
    }
}
