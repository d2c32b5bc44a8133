package io.dafedge.kernels;

import static io.dafedge.kernels.Conv2dTest.relativeError;
import static io.dafedge.kernels.Conv2dTest.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import ai.djl.ndarray.NDManager;
import io.dafedge.model.djl.Djl;
import io.dafedge.prune.Masks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Convolutions packed {@link Packing#SPARSE} against PyTorch's conv2d (through DJL) and against the same weights
 * packed dense, with the zeros that pruning leaves (32x1 blocks, patterns shared by 32-filter blocks), zeros
 * anywhere, and no weights at all; every case on every ISA this CPU has (the others are skipped, not passed).
 */
class SparseConv2dTest {
    private static final double TOLERANCE = 1e-4;
    /** Sparse against dense packing of the same weights: only products with zero weights are left out. */
    private static final double SAME_AS_DENSE = 1e-5;
    private static final double INPUT_BOUND = 12;
    /** Pruning blocks: 32 filters from filter 0, the widest tile of any ISA. */
    private static final int BLOCK = 32;
    /** 3x3 patterns of four positions, centre included (as {@code io.dafedge.prune.Masks} uses). */
    private static final int[][] PATTERNS = {
            {1, 3, 4, 5}, {1, 3, 4, 7}, {1, 4, 5, 7}, {3, 4, 5, 7},
            {0, 1, 3, 4}, {1, 2, 4, 5}, {3, 4, 6, 7}, {4, 5, 7, 8}};

    private static NDManager manager;

    @BeforeAll
    static void engine() {
        manager = Djl.newManager();
    }

    @AfterAll
    static void closeEngine() {
        manager.close();
    }

    /** What is zeroed. */
    enum Mask {
        /** Block-punched, 32 filters x 1 input channel: half the (block, position) groups removed. */
        BLOCK_50,
        /** The same, 90 % removed. */
        BLOCK_90,
        /** One of {@link #PATTERNS} per (32-filter block, input channel), then 30 % of those kernels removed. */
        PATTERN,
        /** 70 % of the weights zeroed one by one: correct, though little can be skipped. */
        RANDOM,
        /** Every weight zero: the output is bias, residual and activation. */
        ALL_ZERO
    }

    record Case(String name, ConvShape shape, boolean bias, boolean residual, int height, int width) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        ConvShape p1 = ConvShape.of(1, 1, 3).withPadding(1);
        return List.of(
                new Case("1x1 24->144 relu6, 17x23", ConvShape.of(24, 144, 1).withActivation(Activation.RELU6),
                        true, false, 17, 23),
                new Case("1x1 192->33 + residual, 17x23", ConvShape.of(192, 33, 1), true, true, 17, 23),
                new Case("1x1 144->24 no bias, 17x23", ConvShape.of(144, 24, 1), false, false, 17, 23),
                new Case("1x1 96->192 relu, 2x3", ConvShape.of(96, 192, 1).withActivation(Activation.RELU),
                        true, false, 2, 3),
                new Case("3x3 s1 p1 33->96 relu, 17x23", like(p1, 33, 96).withActivation(Activation.RELU),
                        true, false, 17, 23),
                new Case("3x3 s1 p1 96->33 + residual relu6, 17x23", like(p1, 96, 33)
                        .withActivation(Activation.RELU6), true, true, 17, 23),
                new Case("3x3 s2 p1 144->192, 17x23", like(p1, 144, 192).withStride(2), true, false, 17, 23),
                new Case("3x3 s2 p1 192->144 relu no bias, 17x23", like(p1, 192, 144).withStride(2)
                        .withActivation(Activation.RELU), false, false, 17, 23),
                new Case("3x3 s1 p1 24->24 + residual, 1x1", like(p1, 24, 24), true, true, 1, 1),
                new Case("3x3 s2 p1 33->24 relu6, 2x3", like(p1, 33, 24).withStride(2)
                        .withActivation(Activation.RELU6), true, false, 2, 3),
                new Case("3x3 s1 p1 96->96 relu + residual, 3x2", like(p1, 96, 96).withActivation(Activation.RELU),
                        true, true, 3, 2),
                new Case("grouped 3x3 p1 48->96 in 2 groups, 9x11", like(p1, 48, 96).withGroups(2),
                        true, false, 9, 11));
    }

    private static ConvShape like(ConvShape s, int in, int out) {
        return new ConvShape(in, out, s.kernelHeight(), s.kernelWidth(), s.strideHeight(), s.strideWidth(),
                s.padTop(), s.padLeft(), s.padBottom(), s.padRight(), s.groups(), s.activation());
    }

    static Stream<Arguments> casesOnEveryIsa() {
        List<Arguments> all = new ArrayList<>();
        for (Isa isa : Isa.values()) {
            for (Case c : cases()) {
                for (Mask m : Mask.values()) {
                    if (m != Mask.PATTERN || c.shape.kernelHeight() == 3) {
                        all.add(Arguments.of(c, m, isa));
                    }
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}, {1} on {2}")
    @MethodSource("casesOnEveryIsa")
    void equalsPyTorchAndDensePacking(Case c, Mask mask, Isa isa) {
        assumeTrue(isa.isSupported(), isa + " is not supported by this CPU");
        ConvShape s = c.shape;
        SplittableRandom random = new SplittableRandom((c.name + mask).hashCode());
        double bound = 1 / Math.sqrt((double) s.weightCount() / s.outChannels());
        float[] weights = prune(uniform(random, s.weightCount(), bound), s, mask, random);
        float[] bias = c.bias ? uniform(random, s.outChannels(), bound) : null;
        float[] input = uniform(random, s.inChannels() * c.height * c.width, INPUT_BOUND);
        int oh = s.outHeight(c.height);
        int ow = s.outWidth(c.width);
        float[] residual = c.residual ? uniform(random, s.outChannels() * oh * ow, 1) : null;
        float[] hwcInput = Layout.chwToHwc(input, s.inChannels(), c.height, c.width);
        float[] hwcResidual = residual == null ? null : Layout.chwToHwc(residual, s.outChannels(), oh, ow);

        float[] expected = Conv2dTest.pytorch(manager, s, weights, bias, input, c.height, c.width, residual);
        float[] sparse;
        float[] dense;
        try (Conv2d conv = Conv2d.create(s, weights, bias, isa, 2, Packing.SPARSE)) {
            assertEquals(Packing.SPARSE, conv.packing());
            long[] rows = referenceRows(s, weights, isa);
            assertEquals((double) rows[0] / rows[1], conv.keptFraction(), "kept fraction");
            assertEquals((long) oh * ow * rows[2], conv.executedMacs(c.height, c.width), "executed MACs");
            sparse = Layout.hwcToChw(conv.run(hwcInput, c.height, c.width, hwcResidual), s.outChannels(), oh, ow);
        }
        try (Conv2d conv = Conv2d.create(s, weights, bias, isa, 2, Packing.DENSE)) {
            dense = Layout.hwcToChw(conv.run(hwcInput, c.height, c.width, hwcResidual), s.outChannels(), oh, ow);
        }
        if (isZero(expected)) {
            // no weights, no bias, no residual: nothing to take a relative error against
            assertArrayEquals(expected, sparse, c + ", " + mask + " on " + isa);
            assertArrayEquals(expected, dense, c + ", " + mask + " on " + isa);
            return;
        }
        double error = relativeError(expected, sparse);
        assertTrue(error <= TOLERANCE, c + ", " + mask + " on " + isa + ": relative L2 error " + error);
        double apart = relativeError(dense, sparse);
        assertTrue(apart <= SAME_AS_DENSE, c + ", " + mask + " on " + isa + ": " + apart + " from dense packing");
    }

    /** Rows the kept fraction should count on a mask built by hand, where the answer is known without a tile. */
    @Test
    void keptFractionAndMacsOfWholeBlocks() {
        // 3x3 8->64: filters 0-31 keep positions 1, 3, 4, 5 of every input channel (32 of 72 rows), filters 32-63
        // the centre of input channels 0-3 (4 of 72 rows). Blocks of 32 fill whole tiles on every ISA.
        ConvShape s = ConvShape.of(8, 64, 3).withPadding(1);
        float[] w = new float[s.weightCount()];
        for (int o = 0; o < 64; o++) {
            for (int i = 0; i < 8; i++) {
                for (int p : o < 32 ? new int[] {1, 3, 4, 5} : i < 4 ? new int[] {4} : new int[0]) {
                    w[(o * 8 + i) * 9 + p] = 0.5f + o + i;
                }
            }
        }
        for (Isa isa : Isa.supported()) {
            try (Conv2d conv = Conv2d.create(s, w, null, isa, 1, Packing.SPARSE)) {
                assertEquals(0.25, conv.keptFraction(), isa.key());                   // (32 + 4) / (72 + 72)
                assertEquals(10L * 12 * (32 * 32 + 4 * 32), conv.executedMacs(10, 12), isa.key());
                assertEquals(552_960, s.macs(10, 12));
            }
        }
    }

    /** A tile that is part of a 32-filter block, and a remainder tile: the figures depend on the ISA's tiles. */
    @Test
    void keptFractionAndMacsPerTile() {
        // 1x1 3->40: filter 5 uses input channel 0, filters 32-39 channels 1 and 2, nothing else.
        ConvShape s = ConvShape.of(3, 40, 1);
        float[] w = new float[s.weightCount()];
        w[5 * 3] = 1;
        for (int o = 32; o < 40; o++) {
            w[o * 3 + 1] = -1;
            w[o * 3 + 2] = 2;
        }
        // tiles (first channel, width, valid) and kept rows:
        // AVX-512 (0, 32, 32): 1, (32, 16, 8): 2                    -> 3 of 6 rows, 1*32 + 2*8 MACs per pixel
        // AVX2 (0, 16, 16): 1, (16, 16, 16): 0, (32, 8, 8): 2        -> 3 of 9, 1*16 + 2*8
        // portable: five tiles (8, 8) keeping 1, 0, 0, 0, 2          -> 3 of 15, 1*8 + 2*8
        double[] fraction = {3.0 / 15, 3.0 / 9, 3.0 / 6};
        long[] macs = {24, 32, 48};
        for (Isa isa : Isa.supported()) {
            try (Conv2d conv = Conv2d.create(s, w, null, isa, 1, Packing.SPARSE)) {
                assertEquals(fraction[isa.ordinal()], conv.keptFraction(), isa.key());
                assertEquals(5L * 7 * macs[isa.ordinal()], conv.executedMacs(5, 7), isa.key());
                float[] in = uniform(new SplittableRandom(3), 5 * 7 * 3, 1);
                float[] out = conv.run(in, 5, 7);
                for (int px = 0; px < 35; px++) {
                    assertEquals(in[px * 3], out[px * 40 + 5], "filter 5 at pixel " + px);
                    assertEquals(-in[px * 3 + 1] + 2 * in[px * 3 + 2], out[px * 40 + 33], 1e-6, "filter 33");
                    assertEquals(0f, out[px * 40 + 20], "filter 20");
                }
            }
        }
    }

    /** Dense packing, and a depthwise convolution whatever was asked: every row, the MACs of the shape. */
    @Test
    void densePackingKeepsEverything() {
        ConvShape[] shapes = {ConvShape.of(33, 40, 3).withPadding(1).withStride(2), ConvShape.of(24, 144, 1),
                ConvShape.of(12, 18, 3).withPadding(1).withGroups(3), ConvShape.depthwise(96, 3).withPadding(1)};
        for (Isa isa : Isa.supported()) {
            for (ConvShape s : shapes) {
                float[] w = new float[s.weightCount()]; // zeros: dense packing keeps them anyway
                for (Packing packing : Packing.values()) {
                    boolean depthwise = s.groups() == s.inChannels();
                    if (packing == Packing.SPARSE && !depthwise) {
                        continue;
                    }
                    try (Conv2d conv = Conv2d.create(s, w, null, isa, 2, packing)) {
                        assertEquals(Packing.DENSE, conv.packing(), s + " " + packing);
                        assertEquals(1.0, conv.keptFraction(), s + " " + packing);
                        assertEquals(s.macs(17, 23), conv.executedMacs(17, 23), s + " " + packing);
                    }
                }
            }
        }
    }

    /** A depthwise convolution asked to pack sparse packs dense and computes the same. */
    @Test
    void depthwiseAskedSparseIsDense() {
        ConvShape s = ConvShape.depthwise(40, 3).withPadding(1).withActivation(Activation.RELU6);
        SplittableRandom random = new SplittableRandom(11);
        float[] w = prune(uniform(random, s.weightCount(), 0.3), s, Mask.RANDOM, random);
        float[] in = uniform(random, 40 * 9 * 10, 4);
        try (Conv2d sparse = Conv2d.create(s, w, null, Isa.selected(), 2, Packing.SPARSE);
             Conv2d dense = Conv2d.create(s, w, null, Isa.selected(), 2)) {
            assertEquals(Packing.DENSE, sparse.packing());
            assertArrayEquals(dense.run(in, 9, 10), sparse.run(in, 9, 10));
        }
    }

    /** The kept rows are visited in one order whatever the split into tasks: threads change no bit. */
    @Test
    void resultsDoNotDependOnTheThreadCount() {
        ConvShape[] shapes = {ConvShape.of(96, 72, 3).withPadding(1), ConvShape.of(40, 200, 1),
                ConvShape.of(144, 33, 3).withStride(2).withPadding(1)};
        for (Isa isa : Isa.supported()) {
            SplittableRandom random = new SplittableRandom(5);
            for (ConvShape s : shapes) {
                float[] weights = prune(uniform(random, s.weightCount(), 0.2), s, Mask.BLOCK_50, random);
                float[] input = uniform(random, s.inChannels() * 19 * 21, 1);
                float[] single;
                try (Conv2d conv = Conv2d.create(s, weights, null, isa, 1, Packing.SPARSE)) {
                    single = conv.run(input, 19, 21);
                }
                for (int threads = 2; threads <= 5; threads++) {
                    try (Conv2d conv = Conv2d.create(s, weights, null, isa, threads, Packing.SPARSE)) {
                        assertArrayEquals(single, conv.run(input, 19, 21), s + " on " + isa + " with " + threads
                                + " threads");
                    }
                }
            }
        }
    }

    /** Zeroes weights (OIHW) as {@code mask} says. */
    static float[] prune(float[] w, ConvShape s, Mask mask, SplittableRandom random) {
        int o = s.outChannels();
        int icg = s.inChannels() / s.groups();
        int taps = s.kernelHeight() * s.kernelWidth();
        float[] m = switch (mask) {
            case BLOCK_50 -> Masks.blockPunched(w, new int[] {o, icg, s.kernelHeight(), s.kernelWidth()}, BLOCK, 1,
                    0.5);
            case BLOCK_90 -> Masks.blockPunched(w, new int[] {o, icg, s.kernelHeight(), s.kernelWidth()}, BLOCK, 1,
                    0.9);
            case PATTERN -> pattern(o, icg, random);
            case RANDOM -> {
                float[] r = new float[w.length];
                for (int k = 0; k < r.length; k++) {
                    r[k] = random.nextDouble() < 0.7 ? 0 : 1;
                }
                yield r;
            }
            case ALL_ZERO -> new float[w.length];
        };
        float[] pruned = w.clone();
        for (int k = 0; k < w.length; k++) {
            pruned[k] *= m[k];
        }
        assertEquals(o * icg * taps, pruned.length);
        return pruned;
    }

    /** A 3x3 pattern per (32-filter block, input channel), 30 % of those kernels removed whole. */
    private static float[] pattern(int o, int icg, SplittableRandom random) {
        float[] m = new float[o * icg * 9];
        for (int b = 0; b < o; b += BLOCK) {
            for (int i = 0; i < icg; i++) {
                if (random.nextDouble() < 0.3) {
                    continue;
                }
                int[] pattern = PATTERNS[random.nextInt(PATTERNS.length)];
                for (int f = b; f < Math.min(o, b + BLOCK); f++) {
                    for (int p : pattern) {
                        m[(f * icg + i) * 9 + p] = 1;
                    }
                }
            }
        }
        return m;
    }

    /**
     * Kept rows, all rows and MACs per output pixel, counted directly from the weights over the ISA's tiles: per
     * group, two vectors of output channels (one for a remainder that fits one); a row (position, input channel)
     * is kept when a weight of the tile's channels in it is not zero.
     */
    static long[] referenceRows(ConvShape s, float[] w, Isa isa) {
        int lanes = isa.lanes();
        int icg = s.inChannels() / s.groups();
        int ocg = s.outChannels() / s.groups();
        int taps = s.kernelHeight() * s.kernelWidth();
        long kept = 0;
        long all = 0;
        long macs = 0;
        for (int g = 0; g < s.groups(); g++) {
            for (int o = 0; o < ocg; o += 2 * lanes) {
                int valid = Math.min(ocg - o, 2 * lanes);
                for (int p = 0; p < taps; p++) {
                    for (int i = 0; i < icg; i++) {
                        boolean used = false;
                        for (int j = 0; j < valid; j++) {
                            used |= w[((g * ocg + o + j) * icg + i) * taps + p] != 0;
                        }
                        if (used) {
                            kept++;
                            macs += valid;
                        }
                        all++;
                    }
                }
            }
        }
        return new long[] {kept, all, macs};
    }

    private static boolean isZero(float[] v) {
        for (float x : v) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }
}
