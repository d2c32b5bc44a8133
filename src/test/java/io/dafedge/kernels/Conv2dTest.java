package io.dafedge.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.dafedge.model.djl.Djl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kernels against PyTorch's conv2d (through DJL) on random tensors, every kind of convolution on every ISA
 * forced in turn. An ISA this CPU lacks is skipped, not passed.
 */
class Conv2dTest {
    private static final double TOLERANCE = 1e-4;
    /** Large enough that outputs cross 6, so RELU6's upper clip is exercised too. */
    private static final double INPUT_BOUND = 12;

    private static NDManager manager;

    @BeforeAll
    static void engine() {
        manager = Djl.newManager();
    }

    @AfterAll
    static void closeEngine() {
        manager.close();
    }

    /** One convolution, its input size, and what else the call gets. */
    record Case(String name, ConvShape shape, boolean bias, boolean residual, int height, int width, int threads) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        ConvShape dw3 = ConvShape.depthwise(24, 3).withPadding(1);
        return List.of(
                new Case("1x1 24->40 relu, 17x23", ConvShape.of(24, 40, 1).withActivation(Activation.RELU),
                        true, false, 17, 23, 2),
                new Case("1x1 33->3 no bias, 17x23", ConvShape.of(33, 3, 1), false, false, 17, 23, 2),
                new Case("1x1 96->24 + residual, 16x16", ConvShape.of(96, 24, 1), true, true, 16, 16, 2),
                new Case("1x1 160->960 relu6, 8x8", ConvShape.of(160, 960, 1).withActivation(Activation.RELU6),
                        true, false, 8, 8, 2),
                new Case("1x1 s2 16->24, 9x10", ConvShape.of(16, 24, 1).withStride(2), true, false, 9, 10, 2),
                new Case("3x3 s1 p1 3->32 relu6, 17x23",
                        ConvShape.of(3, 32, 3).withPadding(1).withActivation(Activation.RELU6), true, false, 17, 23, 2),
                new Case("3x3 s2 p1 3->32 relu6, 33x31, 1 thread",
                        ConvShape.of(3, 32, 3).withStride(2).withPadding(1).withActivation(Activation.RELU6),
                        true, false, 33, 31, 1),
                new Case("3x3 s2 pads 0,0,1,1 16->24, 18x20",
                        ConvShape.of(16, 24, 3).withStride(2).withPadding(0, 0, 1, 1), false, false, 18, 20, 2),
                new Case("3x3 s1 pads 2,0,1,3 5->7 relu, 11x9",
                        ConvShape.of(5, 7, 3).withPadding(2, 0, 1, 3).withActivation(Activation.RELU),
                        true, false, 11, 9, 3),
                new Case("3x3 s1 p1 33->33 + residual relu, 13x14",
                        ConvShape.of(33, 33, 3).withPadding(1).withActivation(Activation.RELU), true, true, 13, 14, 2),
                new Case("3x3 no padding 3->5 on 3x3", ConvShape.of(3, 5, 3), true, false, 3, 3, 2),
                new Case("3x3 p1 16->24 relu on 1x1",
                        ConvShape.of(16, 24, 3).withPadding(1).withActivation(Activation.RELU), true, false, 1, 1, 2),
                new Case("7x7 s2 p3 3->16, 23x17", ConvShape.of(3, 16, 7).withStride(2).withPadding(3),
                        true, false, 23, 17, 2),
                new Case("1x3 kernel s2x1 7->9, 10x12",
                        new ConvShape(7, 9, 1, 3, 2, 1, 0, 1, 0, 1, 1, Activation.NONE), true, false, 10, 12, 2),
                new Case("depthwise 3x3 s1 p1 24 relu6, 17x23", dw3.withActivation(Activation.RELU6),
                        true, false, 17, 23, 2),
                new Case("depthwise 3x3 s2 p1 33 no bias, 17x23", ConvShape.depthwise(33, 3).withStride(2)
                        .withPadding(1), false, false, 17, 23, 2),
                new Case("depthwise 3x3 s2 pads 0,0,1,1 96 relu6, 16x16", ConvShape.depthwise(96, 3).withStride(2)
                        .withPadding(0, 0, 1, 1).withActivation(Activation.RELU6), true, false, 16, 16, 2),
                new Case("depthwise 3x3 s1 p1 32 + residual, 8x8, 3 threads", ConvShape.depthwise(32, 3)
                        .withPadding(1), true, true, 8, 8, 3),
                new Case("depthwise 5x5 s1 p2 20 relu, 9x11", ConvShape.depthwise(20, 5).withPadding(2)
                        .withActivation(Activation.RELU), true, false, 9, 11, 2),
                new Case("depthwise 3x3 p1 24 on 1x1", dw3, true, false, 1, 1, 2),
                new Case("depthwise 3x3 p1 3 on 2x1", ConvShape.depthwise(3, 3).withPadding(1), true, false, 2, 1, 2),
                new Case("grouped 3x3 p1 12->18 in 3 groups, 17x23", ConvShape.of(12, 18, 3).withPadding(1)
                        .withGroups(3), true, false, 17, 23, 2),
                new Case("grouped 1x1 64->64 in 4 groups relu6, 12x12", ConvShape.of(64, 64, 1).withGroups(4)
                        .withActivation(Activation.RELU6), true, false, 12, 12, 2),
                new Case("channel multiplier 3x3 s2 p1 8->16 in 8 groups, 11x13", ConvShape.of(8, 16, 3)
                        .withStride(2).withPadding(1).withGroups(8), false, false, 11, 13, 2));
    }

    static Stream<Arguments> casesOnEveryIsa() {
        List<Arguments> all = new ArrayList<>();
        for (Isa isa : Isa.values()) {
            for (Case c : cases()) {
                all.add(Arguments.of(c, isa));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("casesOnEveryIsa")
    void equalsPyTorch(Case c, Isa isa) {
        assumeTrue(isa.isSupported(), isa + " is not supported by this CPU");
        ConvShape s = c.shape;
        SplittableRandom random = new SplittableRandom(c.name.hashCode());
        double bound = 1 / Math.sqrt((double) s.weightCount() / s.outChannels());
        float[] weights = uniform(random, s.weightCount(), bound);
        float[] bias = c.bias ? uniform(random, s.outChannels(), bound) : null;
        float[] input = uniform(random, s.inChannels() * c.height * c.width, INPUT_BOUND);
        int oh = s.outHeight(c.height);
        int ow = s.outWidth(c.width);
        float[] residual = c.residual ? uniform(random, s.outChannels() * oh * ow, 1) : null;

        float[] expected = pytorch(manager, s, weights, bias, input, c.height, c.width, residual);
        assertActivationClips(s.activation(), expected, c.name);
        float[] actual;
        try (Conv2d conv = Conv2d.create(s, weights, bias, isa, c.threads)) {
            assertEquals(isa, conv.isa());
            float[] hwc = conv.run(Layout.chwToHwc(input, s.inChannels(), c.height, c.width), c.height, c.width,
                    residual == null ? null : Layout.chwToHwc(residual, s.outChannels(), oh, ow));
            actual = Layout.hwcToChw(hwc, s.outChannels(), oh, ow);
        }
        double error = relativeError(expected, actual);
        assertTrue(error <= TOLERANCE, c + " on " + isa + ": relative L2 error " + error);
    }

    /** Each output value is summed in the same order however the work is split, so threads change no bit. */
    @Test
    void resultsDoNotDependOnTheThreadCount() {
        ConvShape[] shapes = {ConvShape.of(40, 72, 3).withPadding(1), ConvShape.depthwise(40, 3).withPadding(1)
                .withStride(2), ConvShape.of(40, 200, 1)};
        SplittableRandom random = new SplittableRandom(5);
        for (ConvShape s : shapes) {
            float[] weights = uniform(random, s.weightCount(), 0.2);
            float[] input = uniform(random, 40 * 19 * 21, 1);
            float[] single;
            try (Conv2d conv = Conv2d.create(s, weights, null, Isa.selected(), 1)) {
                single = conv.run(input, 19, 21);
            }
            for (int threads = 2; threads <= 5; threads++) {
                try (Conv2d conv = Conv2d.create(s, weights, null, Isa.selected(), threads)) {
                    assertArrayEquals(single, conv.run(input, 19, 21), s + " with " + threads + " threads");
                }
            }
        }
    }

    /** Adding to the residual in place gives what a separate output gets. */
    @Test
    void residualCanBeTheOutput() {
        ConvShape s = ConvShape.of(8, 16, 1).withActivation(Activation.RELU6);
        SplittableRandom random = new SplittableRandom(9);
        float[] weights = uniform(random, s.weightCount(), 0.5);
        float[] input = uniform(random, 8 * 5 * 7, 1);
        float[] residual = uniform(random, 16 * 5 * 7, 3);
        try (Conv2d conv = Conv2d.create(s, weights, null)) {
            float[] separate = conv.run(input, 5, 7, residual);
            conv.run(input, 5, 7, residual, residual);
            assertArrayEquals(separate, residual);
        }
    }

    /**
     * PyTorch's conv2d on CHW tensors; asymmetric padding as an explicit zero pad first, which conv2d cannot
     * express.
     */
    static float[] pytorch(NDManager manager, ConvShape s, float[] weights, float[] bias, float[] input, int h,
                           int w, float[] residual) {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(input, new Shape(1, s.inChannels(), h, w));
            boolean symmetric = s.padTop() == s.padBottom() && s.padLeft() == s.padRight();
            if (!symmetric) {
                x = x.pad(new Shape(s.padLeft(), s.padRight(), s.padTop(), s.padBottom()), 0);
            }
            NDArray y = ai.djl.nn.convolutional.Conv2d.conv2d(x,
                    m.create(weights, new Shape(s.outChannels(), s.inChannels() / s.groups(), s.kernelHeight(),
                            s.kernelWidth())),
                    bias == null ? null : m.create(bias, new Shape(s.outChannels())),
                    new Shape(s.strideHeight(), s.strideWidth()),
                    symmetric ? new Shape(s.padTop(), s.padLeft()) : new Shape(0, 0), new Shape(1, 1), s.groups())
                    .singletonOrThrow();
            if (residual != null) {
                y = y.add(m.create(residual, y.getShape()));
            }
            y = switch (s.activation()) {
                case NONE -> y;
                case RELU -> y.maximum(0f);
                case RELU6 -> y.clip(0f, 6f);
            };
            return y.toFloatArray();
        }
    }

    /** Some outputs at each clip point of the activation and some between: else a wrong clip could pass. */
    private static void assertActivationClips(Activation activation, float[] expected, String name) {
        long zeros = IntStream.range(0, expected.length).filter(i -> expected[i] == 0).count();
        long sixes = IntStream.range(0, expected.length).filter(i -> expected[i] == 6).count();
        long between = expected.length - zeros - sixes;
        switch (activation) {
            case NONE -> assertEquals(0, zeros, name + ": no output should be exactly 0");
            case RELU -> assertTrue(zeros > 0 && between > 0, name + ": " + zeros + " zeros, " + between + " others");
            case RELU6 -> assertTrue(zeros > 0 && sixes > 0 && between > 0, name + ": " + zeros + " zeros, "
                    + sixes + " sixes, " + between + " others");
        }
    }

    static double relativeError(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, "length");
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < expected.length; i++) {
            diff += (expected[i] - actual[i]) * (double) (expected[i] - actual[i]);
            norm += expected[i] * (double) expected[i];
        }
        assertTrue(norm > 0, "the reference is all zeros: the comparison would prove nothing");
        return Math.sqrt(diff / norm);
    }

    static float[] uniform(SplittableRandom random, int n, double bound) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        return v;
    }
}
