package io.dafedge.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import io.dafedge.kernels.QuantConv1x1.Path;
import io.dafedge.kernels.QuantConv1x1.QuantisedWeights;
import io.dafedge.kernels.QuantConv1x1.Quantisation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fused INT8 block: equal to the bit to its stages run one after the other in Java-visible steps (quantise,
 * expansion, depthwise, quantise, projection with the residual), and close to the float {@link ConvChain} on the
 * same weights, with MobileNetV2's block shapes and odd ones.
 */
class QuantChainTest {
    /** in -> mid -> out on h x w, depthwise stride and padding, with an expansion and a residual or not. */
    record Block(int in, int mid, int out, int height, int width, int stride, int pad, boolean expand,
                 boolean residual) {
        @Override
        public String toString() {
            return in + "->" + mid + "->" + out + " " + height + "x" + width + " s" + stride + " p" + pad
                    + (expand ? "" : " no expansion") + (residual ? " residual" : "");
        }
    }

    static final List<Block> BLOCKS = List.of(
            new Block(32, 32, 16, 64, 64, 1, 1, false, false), new Block(16, 96, 24, 64, 64, 2, 1, true, false),
            new Block(24, 144, 24, 32, 32, 1, 1, true, true), new Block(32, 192, 32, 16, 16, 1, 1, true, true),
            new Block(64, 384, 64, 8, 8, 1, 1, true, true), new Block(5, 13, 7, 9, 11, 2, 0, true, true),
            new Block(3, 3, 1, 1, 1, 1, 1, false, false), new Block(7, 10, 3, 5, 3, 2, 1, true, false));

    static Stream<Arguments> cases() {
        List<Arguments> args = new ArrayList<>();
        for (Block b : BLOCKS) {
            for (Path p : Path.values()) {
                for (int threads : new int[] {1, 3}) {
                    args.add(Arguments.of(b, p, threads));
                }
            }
        }
        return args.stream();
    }

    /** A block's float weights and its INT8 form, with the clip ranges of a network quantised with them. */
    static final class Weights {
        final float[] expand;
        final float[] expandBias;
        final float[] depthwise;
        final float[] depthwiseBias;
        final float[] project;
        final float[] projectBias;
        final Quantisation input = Quantisation.forRange(-3f, 5f);
        final Quantisation middle = Quantisation.forRange(0f, 6f);
        final Epilogue relu6 = new Epilogue(0f, 6f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
        final Epilogue projection = new Epilogue(-4f, 4f, -5f, 5f);
        final Block b;

        Weights(Block b, SplittableRandom random) {
            this.b = b;
            expand = gaussian(random, b.mid() * b.in(), Math.sqrt(2.0 / b.in()));
            expandBias = Conv2dTest.uniform(random, b.mid(), 0.5);
            depthwise = gaussian(random, b.mid() * 9, Math.sqrt(2.0 / 9));
            depthwiseBias = Conv2dTest.uniform(random, b.mid(), 0.5);
            project = gaussian(random, b.out() * b.mid(), Math.sqrt(1.0 / b.mid()));
            projectBias = Conv2dTest.uniform(random, b.out(), 0.5);
        }

        ConvShape depthwiseShape() {
            return new ConvShape(b.mid(), b.mid(), 3, 3, b.stride(), b.stride(), b.pad(), b.pad(), b.pad(), b.pad(),
                    b.mid(), Activation.NONE);
        }

        Conv2d depthwise(Isa isa, int threads) {
            return Conv2d.create(depthwiseShape(), depthwise, depthwiseBias, isa, threads, Packing.DENSE, relu6);
        }

        QuantConv1x1 expand(Path path, int threads) {
            return b.expand() ? QuantConv1x1.create(QuantisedWeights.symmetric(expand, b.mid(), b.in()), expandBias,
                    input, relu6, null, path, threads) : null;
        }

        QuantConv1x1 project(Path path, int threads) {
            return QuantConv1x1.create(QuantisedWeights.symmetric(project, b.out(), b.mid()), projectBias, middle,
                    projection, null, path, threads);
        }
    }

    static float[] gaussian(SplittableRandom random, int n, double std) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextGaussian() * std);
        }
        return v;
    }

    static float[] input(Block b, SplittableRandom random) {
        return Conv2dTest.uniform(random, b.height() * b.width() * (b.expand() ? b.in() : b.mid()), 3);
    }

    @ParameterizedTest(name = "{0} {1} {2} threads")
    @MethodSource("cases")
    void equalsItsStagesRunApart(Block b, Path path, int threads) {
        assumeTrue(path == Path.PORTABLE || Path.supported().contains(path), path + " is not supported by this CPU");
        SplittableRandom random = new SplittableRandom(b.hashCode());
        Weights w = new Weights(b, random);
        float[] x = input(b, random);
        try (QuantConv1x1 e = w.expand(path, threads); Conv2d d = w.depthwise(Isa.selected(), threads);
             QuantConv1x1 p = w.project(path, threads); QuantChain chain = QuantChain.of(e, d, p, threads)) {
            int ho = chain.outHeight(b.height());
            int wo = chain.outWidth(b.width());
            float[] residual = b.residual() ? Conv2dTest.uniform(random, ho * wo * b.out(), 2) : null;
            float[] dIn = x;
            if (e != null) {
                byte[] xq = new byte[x.length];
                e.input().quantise(x, xq);
                dIn = new float[b.height() * b.width() * b.mid()];
                e.run(xq, b.height(), b.width(), dIn);
            }
            float[] dOut = d.run(dIn, b.height(), b.width());
            byte[] dq = new byte[dOut.length];
            p.input().quantise(dOut, dq);
            float[] expected = new float[ho * wo * b.out()];
            p.run(dq, ho, wo, residual, expected);

            float[] actual = chain.run(x, b.height(), b.width(), residual);
            assertArrayEquals(expected, actual, b + ": fused differs from the stages run apart");
            float[] otherCount = new float[actual.length];
            chain.run(x, b.height(), b.width(), residual, otherCount, threads + 1);
            assertArrayEquals(expected, otherCount, b + ": on " + (threads + 1) + " threads");
            if (residual != null) {
                float[] inPlace = residual.clone();
                chain.run(x, b.height(), b.width(), inPlace, inPlace);
                assertArrayEquals(expected, inPlace, b + ": residual added in place");
            }
        }
    }

    /**
     * Against the float chain on the original weights: the difference is the quantisation of two layers' inputs
     * and weights; as a figure of typical error, relative L2 under 3 % (MobileNetV2-like scales).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("blocks")
    void staysCloseToTheFloatChain(Block b) {
        SplittableRandom random = new SplittableRandom(b.hashCode() + 1);
        Weights w = new Weights(b, random);
        float[] x = input(b, random);
        Isa isa = Isa.selected();
        ConvShape pe = ConvShape.of(b.in(), b.mid(), 1);
        ConvShape pp = ConvShape.of(b.mid(), b.out(), 1);
        try (Conv2d fe = b.expand() ? Conv2d.create(pe, w.expand, w.expandBias, isa, 1, Packing.DENSE, w.relu6) : null;
             Conv2d fd = w.depthwise(isa, 1); Conv2d fp = Conv2d.create(pp, w.project, w.projectBias, isa, 1,
                Packing.DENSE, w.projection);
             Conv2d d = w.depthwise(isa, 1); QuantConv1x1 e = w.expand(Path.selected(), 1);
             QuantConv1x1 p = w.project(Path.selected(), 1)) {
            float[] residual = b.residual()
                    ? Conv2dTest.uniform(random, fd.shape().outHeight(b.height()) * fd.shape().outWidth(b.width())
                    * b.out(), 2) : null;
            float[] reference = ConvChain.of(fe, fd, fp).run(x, b.height(), b.width(), residual);
            float[] int8 = QuantChain.of(e, d, p, 1).run(x, b.height(), b.width(), residual);
            double error = Conv2dTest.relativeError(reference, int8);
            assertTrue(error < 0.03, b + ": relative L2 " + error);
            assertTrue(error > 0, b + ": no difference at all: the INT8 path was not taken");
        }
    }

    static Stream<Block> blocks() {
        return BLOCKS.stream().filter(b -> b.height() * b.width() > 4);
    }

    /** A float first stage (MobileNetV2's first 3x3 stride-2 convolution) ahead of the INT8 projection. */
    @Test
    void aFloatFirstStageEqualsItsStagesRunApart() {
        for (int[] size : new int[][] {{64, 64}, {17, 13}}) {
            for (int threads : new int[] {1, 3}) {
                Block b = new Block(3, 32, 16, size[0], size[1], 1, 1, false, false);
                SplittableRandom random = new SplittableRandom(size[1] * 10L + threads);
                Weights w = new Weights(b, random);
                ConvShape fs = ConvShape.of(3, 32, 3).withStride(2).withPadding(1);
                float[] fw = gaussian(random, fs.weightCount(), 0.3);
                float[] fb = Conv2dTest.uniform(random, 32, 0.5);
                float[] x = Conv2dTest.uniform(random, size[0] * size[1] * 3, 2);
                Isa isa = Isa.selected();
                try (Conv2d first = Conv2d.create(fs, fw, fb, isa, threads, Packing.DENSE, w.relu6);
                     Conv2d d = w.depthwise(isa, threads); QuantConv1x1 p = w.project(Path.selected(), threads)) {
                    QuantChain chain = QuantChain.withFloatFirst(first, d, p, threads);
                    int fh = fs.outHeight(size[0]);
                    int fwid = fs.outWidth(size[1]);
                    float[] dOut = d.run(first.run(x, size[0], size[1]), fh, fwid);
                    byte[] dq = new byte[dOut.length];
                    p.input().quantise(dOut, dq);
                    float[] expected = new float[chain.outputLength(size[0], size[1])];
                    p.run(dq, chain.outHeight(size[0]), chain.outWidth(size[1]), null, expected);
                    assertArrayEquals(expected, chain.run(x, size[0], size[1]), size[0] + "x" + size[1] + ", "
                            + threads + " threads");
                    assertEquals(fs.macs(size[0], size[1]) + w.depthwiseShape().macs(fh, fwid)
                            + p.macs(chain.outHeight(size[0]), chain.outWidth(size[1])), chain.macs(size[0], size[1]));
                }
            }
        }
    }

    @Test
    void refusesWhatDoesNotChain() {
        Block b = BLOCKS.get(1);
        Weights w = new Weights(b, new SplittableRandom(1));
        try (QuantConv1x1 e = w.expand(Path.PORTABLE, 1); Conv2d d = w.depthwise(Isa.selected(), 1);
             QuantConv1x1 p = w.project(Path.PORTABLE, 1)) {
            assertThrows(IllegalArgumentException.class, () -> QuantChain.of(p, d, p, 1));
            assertThrows(IllegalArgumentException.class, () -> QuantChain.of(e, d, e, 1));
            assertThrows(IllegalArgumentException.class, () -> QuantChain.of(e, null, p, 1));
            assertThrows(IllegalArgumentException.class, () -> QuantChain.of(e, d, p, 0));
            QuantChain chain = QuantChain.of(e, d, p, 1);
            assertThrows(IllegalArgumentException.class, () -> chain.run(new float[5], b.height(), b.width()));
            p.close();
            assertThrows(IllegalStateException.class,
                    () -> chain.run(new float[b.height() * b.width() * b.in()], b.height(), b.width()));
        }
    }
}
