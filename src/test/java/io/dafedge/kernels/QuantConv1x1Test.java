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
 * The INT8 pointwise convolution on every path this CPU has (a missing one is skipped, not passed), 1 and 2 threads:
 * exactly equal to a plain Java integer reference, and within the quantisation error of the float convolution.
 */
class QuantConv1x1Test {
    /** in -> out channels on h x w, the activations' zero point. Channel counts on and off multiples of 4, 16, 64. */
    record Case(int in, int out, int height, int width, int zero) {
        @Override
        public String toString() {
            return in + "->" + out + " " + height + "x" + width + " zero " + zero;
        }
    }

    static final List<Case> CASES = List.of(
            new Case(16, 96, 128, 128, 0), new Case(96, 24, 128, 128, 0), new Case(24, 144, 64, 64, 0),
            new Case(1, 1, 1, 1, 0), new Case(3, 7, 2, 3, 128), new Case(5, 17, 7, 5, 37), new Case(17, 33, 13, 11, 0),
            new Case(33, 65, 9, 9, 200), new Case(67, 100, 16, 16, 3), new Case(130, 144, 5, 7, 0),
            new Case(576, 96, 4, 4, 255), new Case(192, 1, 3, 1, 10));

    static Stream<Arguments> cases() {
        List<Arguments> args = new ArrayList<>();
        for (Case c : CASES) {
            for (Path p : Path.values()) {
                for (int threads : new int[] {1, 2}) {
                    args.add(Arguments.of(c, p, threads));
                }
            }
        }
        return args.stream();
    }

    /** Random int8 weights over the whole range (the symmetric quantisation of random floats), random uint8 input. */
    @ParameterizedTest(name = "{0} {1} {2} threads")
    @MethodSource("cases")
    void equalsJavaIntegerReferenceExactly(Case c, Path path, int threads) {
        assumeTrue(path == Path.PORTABLE || Path.supported().contains(path), path + " is not supported by this CPU");
        SplittableRandom random = new SplittableRandom(c.in() * 31L + c.out());
        QuantisedWeights w = QuantisedWeights.symmetric(Conv2dTest.uniform(random, c.in() * c.out(), 0.5),
                c.out(), c.in());
        float[] bias = Conv2dTest.uniform(random, c.out(), 2);
        int pixels = c.height() * c.width();
        byte[] input = new byte[pixels * c.in()];
        for (int i = 0; i < input.length; i++) {
            input[i] = (byte) random.nextInt(256);
        }
        Quantisation in = new Quantisation(0.02f, c.zero());
        Quantisation out = new Quantisation(0.05f, 7);
        float lo = c.zero() % 2 == 0 ? 0f : Float.NEGATIVE_INFINITY;
        float hi = c.zero() % 2 == 0 ? 6f : Float.POSITIVE_INFINITY;
        int[] acc = new int[pixels * c.out()];
        float[] f = new float[acc.length];
        byte[] q = new byte[acc.length];
        try (QuantConv1x1 conv = QuantConv1x1.create(w, bias, in, lo, hi, out, path, threads)) {
            conv.runAccumulators(input, c.height(), c.width(), acc);
            conv.run(input, c.height(), c.width(), f);
            conv.run(input, c.height(), c.width(), q);
        }
        float outInv = 1f / out.scale();
        float zero = out.zeroPoint();
        float qlo = Math.max(lo * outInv + zero, 0f);
        float qhi = Math.min(hi * outInv + zero, 255f);
        int quantisedValues = 0;
        for (int p = 0; p < pixels; p++) {
            for (int o = 0; o < c.out(); o++) {
                int sum = 0;
                for (int i = 0; i < c.in(); i++) {
                    sum += (Byte.toUnsignedInt(input[p * c.in() + i]) - c.zero()) * w.values()[o * c.in() + i];
                }
                int at = p * c.out() + o;
                assertEquals(sum, acc[at], "sum at pixel " + p + ", channel " + o);
                float y = Math.fma((float) sum, in.scale() * w.scales()[o], bias[o]);
                y = y > lo ? y : lo;
                y = y < hi ? y : hi;
                assertEquals(Float.floatToRawIntBits(y), Float.floatToRawIntBits(f[at]),
                        "float at pixel " + p + ", channel " + o + ": " + f[at] + ", expected " + y);
                float t = Math.fma((float) sum, in.scale() * w.scales()[o] * outInv, bias[o] * outInv + zero);
                t = t > qlo ? t : qlo;
                t = t < qhi ? t : qhi;
                int expected = (int) Math.rint(t);
                assertEquals(expected, Byte.toUnsignedInt(q[at]), "uint8 at pixel " + p + ", channel " + o);
                quantisedValues += expected > 0 && expected < 255 ? 1 : 0;
            }
        }
        assertTrue(quantisedValues > 0 || acc.length < 8, "every uint8 output saturated: the test would check little");
    }

    static Stream<Arguments> floatCases() {
        return Stream.of(Arguments.of(new Case(16, 96, 128, 128, 0), 2), Arguments.of(new Case(96, 24, 64, 64, 0), 1),
                Arguments.of(new Case(144, 24, 32, 32, 0), 2), Arguments.of(new Case(576, 96, 16, 16, 0), 2),
                Arguments.of(new Case(37, 19, 7, 9, 0), 1), Arguments.of(new Case(5, 3, 1, 1, 0), 1));
    }

    /**
     * Against the float {@link Conv2d} on the same data. On the dequantised weights and activations the int8 kernel
     * computes the same real numbers with exact integer sums, so the two may differ only by the float
     * convolution's rounding: at most 1e-5 of sum |x' w'| + |bias|. On the original float data the difference is
     * the quantisation error, bounded per output value (x' = x rounded to the activation grid, |x' - x| <= s_a / 2;
     * w' likewise, |w' - w| <= s_w / 2): |sum x' w' - sum x w| = |sum x' (w' - w) + (x' - x) w|
     * <= sum (|x'| s_w / 2 + |w| s_a / 2); clamping adds nothing (it is 1-Lipschitz). The uint8 output adds half
     * its step (and a hundredth for the rounding of its folded scale and offset). And as a figure of typical
     * error: relative L2 under 2 %. Checked with a signed activation range (zero point 64) as well as ReLU6's
     * [0, 6] (zero point 0).
     */
    @ParameterizedTest(name = "{0}, {1} threads")
    @MethodSource("floatCases")
    void staysWithinQuantisationErrorOfFloatConvolution(Case c, int threads) {
        for (float lo : new float[] {0f, -2f}) {
            Quantisation in = Quantisation.forRange(lo, 6f);
            SplittableRandom random = new SplittableRandom(c.in() + 1000L * c.out());
            float[] w = new float[c.in() * c.out()];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (random.nextGaussian() * Math.sqrt(2.0 / c.in()));
            }
            float[] bias = Conv2dTest.uniform(random, c.out(), 0.5);
            int pixels = c.height() * c.width();
            float[] x = new float[pixels * c.in()];
            for (int i = 0; i < x.length; i++) {
                x[i] = random.nextInt(4) == 0 ? 0f : lo + (6f - lo) * (float) random.nextDouble();
            }
            byte[] xq = new byte[x.length];
            in.quantise(x, xq);
            float[] xd = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                xd[i] = in.dequantise(xq[i]);
            }
            QuantisedWeights qw = QuantisedWeights.symmetric(w, c.out(), c.in());
            float[] wd = new float[w.length];
            for (int o = 0; o < c.out(); o++) {
                for (int i = 0; i < c.in(); i++) {
                    wd[o * c.in() + i] = qw.dequantise(o, i);
                }
            }
            Quantisation out = Quantisation.forRange(0f, 6f);
            ConvShape shape = ConvShape.of(c.in(), c.out(), 1);
            Epilogue relu6 = new Epilogue(0f, 6f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
            float[] onQuantised = new float[pixels * c.out()];
            float[] onFloat = new float[onQuantised.length];
            float[] int8 = new float[onQuantised.length];
            byte[] int8q = new byte[onQuantised.length];
            Isa isa = Isa.selected();
            try (Conv2d a = Conv2d.create(shape, wd, bias, isa, threads, Packing.DENSE, relu6);
                 Conv2d b = Conv2d.create(shape, w, bias, isa, threads, Packing.DENSE, relu6);
                 QuantConv1x1 q = QuantConv1x1.create(qw, bias, in, 0f, 6f, out, Path.selected(), threads)) {
                a.run(xd, c.height(), c.width(), null, onQuantised);
                b.run(x, c.height(), c.width(), null, onFloat);
                q.run(xq, c.height(), c.width(), int8);
                q.run(xq, c.height(), c.width(), int8q);
            }
            double diff = 0;
            double norm = 0;
            for (int p = 0; p < pixels; p++) {
                for (int o = 0; o < c.out(); o++) {
                    double magnitude = Math.abs(bias[o]);
                    double bound = 0;
                    for (int i = 0; i < c.in(); i++) {
                        float xi = xd[p * c.in() + i];
                        float wi = w[o * c.in() + i];
                        magnitude += Math.abs(xi * wd[o * c.in() + i]);
                        bound += Math.abs(xi) * qw.scales()[o] / 2 + Math.abs(wi) * in.scale() / 2;
                    }
                    int at = p * c.out() + o;
                    String where = " at pixel " + p + ", channel " + o + " (range from " + lo + ")";
                    assertTrue(Math.abs(int8[at] - onQuantised[at]) <= 1e-5 * magnitude + 1e-6,
                            "int8 " + int8[at] + " vs float on the dequantised data " + onQuantised[at] + where);
                    double slack = 1e-5 * magnitude + 1e-6;
                    assertTrue(Math.abs(int8[at] - onFloat[at]) <= bound + slack,
                            "int8 " + int8[at] + " vs float " + onFloat[at] + ", bound " + bound + where);
                    assertTrue(Math.abs(out.dequantise(int8q[at]) - onFloat[at]) <= bound + out.scale() * 0.51 + slack,
                            "uint8 " + out.dequantise(int8q[at]) + " vs float " + onFloat[at] + where);
                    diff += (int8[at] - onFloat[at]) * (double) (int8[at] - onFloat[at]);
                    norm += onFloat[at] * (double) onFloat[at];
                }
            }
            double relative = Math.sqrt(diff / norm);
            assertTrue(relative < 0.02, "relative L2 error " + relative + " (range from " + lo + ")");
        }
    }

    /** Networks get INT8 blocks only on VNNI, and not when switched off; a wrong setting is named. */
    @Test
    void networksTakeVnniUnlessSwitchedOff() {
        Path expected = Path.selected() == Path.AVX512_VNNI ? Path.AVX512_VNNI : null;
        assertEquals(expected, Path.forNetworks(null));
        assertEquals(expected, Path.forNetworks(" ON "));
        assertEquals(null, Path.forNetworks("off"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Path.forNetworks("fast"));
        assertTrue(e.getMessage().contains(QuantConv1x1.INT8_ENV + "=fast"), e.getMessage());
    }

    @Test
    void forRangeKeepsZeroExact() {
        Quantisation relu6 = Quantisation.forRange(0f, 6f);
        assertEquals(0, relu6.zeroPoint());
        assertEquals(6f / 255f, relu6.scale());
        Quantisation signed = Quantisation.forRange(-2f, 6f);
        assertEquals(64, signed.zeroPoint());
        assertEquals(0f, signed.dequantise((byte) 64));
        byte[] q = new byte[4];
        relu6.quantise(new float[] {-1f, 0f, 6f, 100f}, q);
        assertArrayEquals(new byte[] {0, 0, (byte) 255, (byte) 255}, q);
    }

    @Test
    void refusesWhatDoesNotFit() {
        QuantisedWeights w = QuantisedWeights.symmetric(new float[6], 2, 3);
        assertEquals(1f, w.scales()[0]);
        Quantisation in = Quantisation.forRange(0f, 6f);
        assertThrows(IllegalArgumentException.class, () -> new Quantisation(0f, 0));
        assertThrows(IllegalArgumentException.class, () -> new Quantisation(1f, 256));
        assertThrows(IllegalArgumentException.class, () -> Quantisation.forRange(1f, 6f));
        assertThrows(IllegalArgumentException.class, () -> QuantisedWeights.symmetric(new float[5], 2, 3));
        assertThrows(IllegalArgumentException.class,
                () -> QuantisedWeights.symmetric(new float[] {0, 0, Float.NaN, 0, 0, 0}, 2, 3));
        assertThrows(IllegalArgumentException.class,
                () -> QuantConv1x1.create(w, new float[3], in, 0f, 6f, null, Path.PORTABLE, 1));
        assertThrows(IllegalArgumentException.class,
                () -> QuantConv1x1.create(w, null, in, 6f, 0f, null, Path.PORTABLE, 1));
        assertThrows(IllegalArgumentException.class,
                () -> QuantConv1x1.create(w, null, in, 0f, 6f, null, Path.PORTABLE, 0));
        QuantConv1x1 conv = QuantConv1x1.create(w, null, in, 0f, 6f, null, Path.PORTABLE, 1);
        assertThrows(IllegalArgumentException.class, () -> conv.run(new byte[5], 1, 2, new float[4]));
        assertThrows(IllegalArgumentException.class, () -> conv.run(new byte[6], 1, 2, new float[3]));
        assertThrows(IllegalArgumentException.class, () -> conv.run(new byte[6], 0, 2, new float[0]));
        assertThrows(IllegalStateException.class, () -> conv.run(new byte[6], 1, 2, new byte[4]));
        conv.run(new byte[6], 1, 2, new float[4]);
        conv.close();
        assertThrows(IllegalStateException.class, () -> conv.run(new byte[6], 1, 2, new float[4]));
    }
}
