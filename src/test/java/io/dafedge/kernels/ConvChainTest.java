package io.dafedge.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fused blocks against their three convolutions run one after the other (themselves checked against PyTorch by
 * {@link Conv2dTest}): the same bits, on every ISA this CPU has, for 1 to 5 threads.
 */
class ConvChainTest {
    /** One block: channels, depthwise stride and padding, input size, what else it gets. */
    record Case(String name, int in, int mid, int out, boolean expand, int stride, int pad, int height, int width,
                boolean residual, Packing packing, boolean clamps) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("16->96->24 s2, 17x23", 16, 96, 24, true, 2, 1, 17, 23, false, Packing.DENSE, true),
                new Case("24->144->24 s1 + residual, 17x23", 24, 144, 24, true, 1, 1, 17, 23, true, Packing.DENSE,
                        true),
                new Case("24->144->24 s1 + residual, 41x9 (several bands)", 24, 144, 24, true, 1, 1, 41, 9, true,
                        Packing.DENSE, true),
                new Case("24->144->32 s2, 41x9 (several bands)", 24, 144, 32, true, 2, 1, 41, 9, false,
                        Packing.DENSE, true),
                new Case("no expansion 32->16 s1, 17x23", 32, 32, 16, false, 1, 1, 17, 23, false, Packing.DENSE,
                        true),
                new Case("no expansion 24->40 s2 + residual, 7x5", 24, 24, 40, false, 2, 1, 7, 5, true,
                        Packing.DENSE, false),
                new Case("32->192->32 s1 + residual, 7x5", 32, 192, 32, true, 1, 1, 7, 5, true, Packing.DENSE, true),
                new Case("5->33->7 s2 odd channels, 7x5", 5, 33, 7, true, 2, 1, 7, 5, false, Packing.DENSE, false),
                new Case("sparse 24->144->24 s1 + residual, 17x23", 24, 144, 24, true, 1, 1, 17, 23, true,
                        Packing.SPARSE, true),
                new Case("sparse 16->96->24 s2, 41x9", 16, 96, 24, true, 2, 1, 41, 9, false, Packing.SPARSE, true),
                new Case("sparse 40->240->80 s2, 7x5", 40, 240, 80, true, 2, 1, 7, 5, false, Packing.SPARSE, false),
                new Case("unpadded s1, 17x23", 16, 48, 16, true, 1, 0, 17, 23, true, Packing.DENSE, true),
                new Case("1x1 image s2", 16, 96, 24, true, 2, 1, 1, 1, false, Packing.DENSE, true),
                new Case("2x1 image s1", 8, 16, 8, true, 1, 1, 2, 1, true, Packing.SPARSE, true));
    }

    private final Random random = new Random(23);

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void equalsTheThreeRunApartOnEveryIsaAndThreadCount(Case c) {
        ConvShape es = ConvShape.of(c.in(), c.mid(), 1);
        ConvShape ds = ConvShape.depthwise(c.mid(), 3).withStride(c.stride()).withPadding(c.pad());
        ConvShape ps = ConvShape.of(c.mid(), c.out(), 1);
        float[] ew = weights(es, c.packing());
        float[] dw = gaussian(ds.weightCount(), 0.4f);
        float[] pw = weights(ps, c.packing());
        float[] eb = gaussian(c.mid(), 0.3f);
        float[] db = gaussian(c.mid(), 0.3f);
        float[] pb = gaussian(c.out(), 0.3f);
        // an int8-derived network's clips: ReLU6 after the expansion and the depthwise, a clamp on the sum
        Epilogue six = c.clamps() ? new Epilogue(0, 6, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY) : null;
        Epilogue sum = c.clamps() ? new Epilogue(-4, 4, -5, 5) : null;
        int h = c.height();
        int w = c.width();
        float[] input = gaussian(h * w * (c.expand() ? c.in() : c.mid()), 2f);
        int ho = ds.outHeight(h);
        int wo = ds.outWidth(w);
        float[] residual = c.residual() ? gaussian(ho * wo * c.out(), 1f) : null;
        for (Isa isa : Isa.supported()) {
            try (Conv2d e = c.expand() ? Conv2d.create(es, ew, eb, isa, 1, c.packing(), six) : null;
                 Conv2d d = Conv2d.create(ds, dw, db, isa, 1, Packing.DENSE, six);
                 Conv2d p = Conv2d.create(ps, pw, pb, isa, 1, c.packing(), sum)) {
                float[] mid = e == null ? input : e.run(input, h, w);
                float[] want = p.run(d.run(mid, h, w), ho, wo, residual);
                for (int threads = 1; threads <= 5; threads++) {
                    try (ConvChain chain = ConvChain.of(e, d, p, threads)) {
                        float[] got = chain.run(input, h, w, residual);
                        assertArrayEquals(want, got, isa + ", " + threads + " threads");
                        if (residual != null) {
                            float[] inPlace = residual.clone();
                            chain.run(input, h, w, inPlace, inPlace);
                            assertArrayEquals(want, inPlace, isa + ", " + threads + " threads, residual in place");
                        }
                    }
                }
            }
        }
    }

    @Test
    void macsAreTheThreeConvolutionsAndSparsePackingCounts() {
        ConvShape es = ConvShape.of(16, 96, 1);
        ConvShape ds = ConvShape.depthwise(96, 3).withStride(2).withPadding(1);
        ConvShape ps = ConvShape.of(96, 24, 1);
        try (Conv2d e = Conv2d.create(es, weights(es, Packing.SPARSE), null, Isa.selected(), 2, Packing.SPARSE);
             Conv2d d = Conv2d.create(ds, gaussian(ds.weightCount(), 1), null);
             Conv2d p = Conv2d.create(ps, gaussian(ps.weightCount(), 1), null);
             ConvChain chain = ConvChain.of(e, d, p)) {
            assertEquals(es.macs(128, 128) + ds.macs(128, 128) + ps.macs(64, 64), chain.macs(128, 128));
            assertEquals(e.executedMacs(128, 128) + d.executedMacs(128, 128) + p.executedMacs(64, 64),
                    chain.executedMacs(128, 128));
            assertTrue(chain.executedMacs(128, 128) < chain.macs(128, 128));
            assertEquals(64 * 64 * 24, chain.outputLength(128, 128));
            assertEquals(List.of(e, d, p), chain.convs());
            assertEquals(2, chain.threads());
        }
    }

    /** A call's own thread count (a network taking both cores once its neighbour is done): the same bits. */
    @Test
    void aCallsThreadCountChangesNoBit() {
        ConvShape es = ConvShape.of(16, 48, 1);
        ConvShape ds = ConvShape.depthwise(48, 3).withPadding(1);
        ConvShape ps = ConvShape.of(48, 24, 1);
        float[] input = gaussian(40 * 24 * 16, 1);
        try (Conv2d e = Conv2d.create(es, gaussian(es.weightCount(), 1), null, Isa.selected(), 1, Packing.DENSE);
             Conv2d d = Conv2d.create(ds, gaussian(ds.weightCount(), 1), null, Isa.selected(), 1, Packing.DENSE);
             Conv2d p = Conv2d.create(ps, gaussian(ps.weightCount(), 1), null, Isa.selected(), 1, Packing.DENSE)) {
            ConvChain chain = ConvChain.of(e, d, p, 1);
            float[] own = chain.run(input, 40, 24);
            for (int threads : new int[] {2, 3}) {
                float[] out = new float[own.length];
                chain.run(input, 40, 24, null, out, threads);
                assertArrayEquals(own, out, "chain on " + threads + " threads");
                float[] single = new float[40 * 24 * 48];
                e.run(input, 40, 24, null, single, threads);
                assertArrayEquals(e.run(input, 40, 24), single, "convolution on " + threads + " threads");
            }
            assertRefused("threads", () -> chain.run(input, 40, 24, null, new float[own.length], 0));
            assertRefused("threads", () -> e.run(input, 40, 24, null, new float[40 * 24 * 48], 65));
        }
    }

    @Test
    void closingTheChainLeavesTheConvolutionsOpenAndAClosedConvolutionStopsTheChain() {
        ConvShape ds = ConvShape.depthwise(8, 3).withPadding(1);
        ConvShape ps = ConvShape.of(8, 8, 1);
        float[] input = gaussian(5 * 5 * 8, 1);
        try (Conv2d d = Conv2d.create(ds, gaussian(ds.weightCount(), 1), null);
             Conv2d p = Conv2d.create(ps, gaussian(ps.weightCount(), 1), null)) {
            ConvChain chain = ConvChain.of(null, d, p);
            float[] before = chain.run(input, 5, 5);
            chain.close();
            assertThrows(IllegalStateException.class, () -> chain.run(input, 5, 5));
            assertArrayEquals(before, p.run(d.run(input, 5, 5), 5, 5), "the convolutions still run");
            ConvChain again = ConvChain.of(null, d, p);
            p.close();
            assertThrows(IllegalStateException.class, () -> again.run(input, 5, 5));
            // the depthwise's lock was released when the projection refused: it can still be closed and run
            assertArrayEquals(d.run(input, 5, 5), d.run(input, 5, 5));
        }
    }

    @Test
    void whatDoesNotChainIsRefusedByName() {
        Isa isa = Isa.selected();
        List<Conv2d> made = new ArrayList<>();
        try {
            Conv2d e = make(made, ConvShape.of(8, 16, 1), isa);
            Conv2d d = make(made, ConvShape.depthwise(16, 3).withPadding(1), isa);
            Conv2d p = make(made, ConvShape.of(16, 8, 1), isa);
            assertEquals(3, ConvChain.of(e, d, p).convs().size());
            assertRefused("depthwise and the projection", () -> ConvChain.of(e, null, p));
            assertRefused("depthwise and the projection", () -> ConvChain.of(e, d, null));
            assertRefused("threads", () -> ConvChain.of(e, d, p, 0));
            assertRefused("first stage must not be depthwise", () -> ConvChain.of(
                    make(made, ConvShape.depthwise(16, 3).withPadding(1), isa), d, p));
            // any other first stage chains: MobileNetV2's first convolution ahead of its first block
            assertEquals(3, ConvChain.of(make(made, ConvShape.of(8, 16, 3).withStride(2).withPadding(1), isa), d, p)
                    .convs().size());
            assertRefused("depthwise 3x3", () -> ConvChain.of(e,
                    make(made, ConvShape.depthwise(16, 5).withPadding(2), isa), p));
            assertRefused("depthwise 3x3", () -> ConvChain.of(e,
                    make(made, ConvShape.of(16, 16, 3).withPadding(1), isa), p));
            assertRefused("stride must be 1 or 2", () -> ConvChain.of(e,
                    make(made, ConvShape.depthwise(16, 3).withStride(3).withPadding(1), isa), p));
            assertRefused("padding must be 0 or 1", () -> ConvChain.of(e,
                    make(made, ConvShape.depthwise(16, 3).withPadding(2), isa), p));
            assertRefused("projection must be 1x1", () -> ConvChain.of(e, d,
                    make(made, ConvShape.of(16, 8, 3), isa)));
            assertRefused("expansion's 24 output channels", () -> ConvChain.of(
                    make(made, ConvShape.of(8, 24, 1), isa), d, p));
            assertRefused("projection's 24 input channels", () -> ConvChain.of(e, d,
                    make(made, ConvShape.of(24, 8, 1), isa)));
            for (Isa other : Isa.supported()) {
                if (other != isa) {
                    assertRefused("same ISA", () -> ConvChain.of(e, d, make(made, ConvShape.of(16, 8, 1), other)));
                }
            }
            ConvChain chain = ConvChain.of(e, d, p);
            float[] input = new float[4 * 4 * 8];
            assertRefused("input: expected", () -> chain.run(new float[3], 4, 4));
            assertRefused("output: expected", () -> chain.run(input, 4, 4, null, new float[5]));
            assertRefused("residual: expected", () -> chain.run(input, 4, 4, new float[5], new float[128]));
            float[] same = new float[128];
            assertRefused("must not be the input", () -> chain.run(same, 4, 4, null, same));
        } finally {
            made.forEach(Conv2d::close);
        }
    }

    private static Conv2d make(List<Conv2d> made, ConvShape s, Isa isa) {
        Conv2d c = Conv2d.create(s, new float[s.weightCount()], null, isa, 1);
        made.add(c);
        return c;
    }

    private static void assertRefused(String words, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(words), e.getMessage());
    }

    /** Gaussian weights; for sparse packing with whole 32-filter rows zero (half of them), as pruning leaves. */
    private float[] weights(ConvShape s, Packing packing) {
        float[] w = gaussian(s.weightCount(), 0.3f);
        if (packing == Packing.SPARSE) {
            int in = s.inChannels();
            boolean any = false;
            for (int block = 0; block * 32 < s.outChannels(); block++) {
                for (int i = 0; i < in; i++) {
                    if (random.nextBoolean()) {
                        any = true;
                        for (int o = block * 32; o < Math.min(s.outChannels(), block * 32 + 32); o++) {
                            w[o * in + i] = 0;
                        }
                    }
                }
            }
            assertTrue(any);
        }
        return w;
    }

    private float[] gaussian(int n, float sigma) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (sigma * random.nextGaussian());
        }
        return v;
    }

    @Test
    void sparsePackingIsUsedWhereAsked() {
        ConvShape ps = ConvShape.of(16, 8, 1);
        try (Conv2d p = Conv2d.create(ps, weights(ps, Packing.SPARSE), null, Isa.selected(), 1, Packing.SPARSE)) {
            assertEquals(Packing.SPARSE, p.packing());
            assertNotEquals(1.0, p.keptFraction());
            assertFalse(p.keptFraction() == 0);
        }
    }
}
