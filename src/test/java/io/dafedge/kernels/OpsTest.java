package io.dafedge.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import io.dafedge.model.FeatureMap;
import io.dafedge.model.Maps;
import io.dafedge.model.daf.Discrepancy;
import io.dafedge.model.daf.Normalisation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Ops} against the plain-Java references of the application ({@code Discrepancy}, {@code Maps}) and direct
 * loops, every vectorised operator on every ISA this CPU has (the others are skipped, not passed). The bilinear
 * resize and depth-to-space against DJL are in {@code io.dafedge.model.daf.OpsAgainstDafNetworkTest}.
 */
class OpsTest {
    private static final double TOLERANCE = 1e-5;
    /** The reference sums in double, the kernels in float. */
    private static final double DISCREPANCY_TOLERANCE = 1e-4;

    /** A feature map pair: its size and how its values are drawn. */
    record Maps3(int h, int w, int c, Input input) {
        @Override
        public String toString() {
            return h + "x" + w + "x" + c + " " + input;
        }
    }

    enum Input {
        /** independent values in [0, 4): a ReLU teacher's range */
        UNIFORM,
        /** independent Gaussian values, about half negative: the shared MobileNetV2 teacher's */
        SIGNED,
        /**
         * smooth fields (blurred noise) with a ReLU, the student the teacher plus a small smooth error: neighbouring
         * features correlate, many are zero and D is small, as for a trained student on a normal image
         */
        REALISTIC
    }

    static Stream<Arguments> discrepancyCases() {
        List<Maps3> maps = List.of(new Maps3(6, 7, 1, Input.UNIFORM), new Maps3(6, 7, 33, Input.SIGNED),
                new Maps3(17, 23, 3, Input.SIGNED), new Maps3(17, 23, 24, Input.REALISTIC),
                new Maps3(23, 17, 96, Input.UNIFORM), new Maps3(64, 64, 24, Input.REALISTIC),
                new Maps3(32, 32, 32, Input.SIGNED), new Maps3(16, 16, 96, Input.REALISTIC));
        List<Arguments> all = new ArrayList<>();
        for (Isa isa : Isa.values()) {
            for (Maps3 m : maps) {
                for (Scaling s : Scaling.values()) {
                    all.add(Arguments.of(m, s, isa));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1} on {2}")
    @MethodSource("discrepancyCases")
    void discrepancyEqualsThePlainJavaOne(Maps3 m, Scaling scaling, Isa isa) {
        assumeTrue(isa.isSupported(), isa + " is not supported by this CPU");
        SplittableRandom random = new SplittableRandom(31L * m.hashCode() + scaling.ordinal());
        float[][] st = features(random, m);
        FeatureMap student = new FeatureMap(m.c, m.h, m.w, st[0]);
        FeatureMap teacher = new FeatureMap(m.c, m.h, m.w, st[1]);
        float[] expected = new Discrepancy(Normalisation.valueOf(scaling.name())).map(student, teacher).data();

        float[] out = new float[expected.length];
        Ops.discrepancy(Layout.chwToHwc(st[0], m.c, m.h, m.w), Layout.chwToHwc(st[1], m.c, m.h, m.w), m.h, m.w, m.c,
                scaling, out, 2, isa);
        double error = relativeError(expected, Layout.hwcToChw(out, m.c, m.h, m.w));
        assertTrue(error <= DISCREPANCY_TOLERANCE, m + " " + scaling + " on " + isa + ": relative L2 error " + error);
    }

    /** Student and teacher, CHW. */
    static float[][] features(SplittableRandom random, Maps3 m) {
        int n = m.c * m.h * m.w;
        return switch (m.input) {
            case UNIFORM -> new float[][] {uniform(random, n, 0, 4), uniform(random, n, 0, 4)};
            case SIGNED -> new float[][] {gaussian(random, n, 1.5), gaussian(random, n, 1.5)};
            case REALISTIC -> {
                float[] teacher = smooth(random, m, 2);
                float[] error = smooth(random, m, 0.15f);
                float[] student = new float[n];
                for (int i = 0; i < n; i++) {
                    teacher[i] = Math.max(teacher[i], 0);
                    student[i] = Math.max(teacher[i] + error[i], 0);
                }
                yield new float[][] {student, teacher};
            }
        };
    }

    /** Each channel Gaussian noise blurred with sigma 1.5 and scaled to standard deviation about {@code sigma}. */
    private static float[] smooth(SplittableRandom random, Maps3 m, float sigma) {
        int plane = m.h * m.w;
        float[] out = new float[m.c * plane];
        for (int c = 0; c < m.c; c++) {
            float[] blurred = Maps.gaussianBlur(gaussian(random, plane, 1), m.w, m.h, 1.5);
            float offset = (float) random.nextGaussian();
            for (int i = 0; i < plane; i++) {
                out[c * plane + i] = offset + 4 * sigma * blurred[i];
            }
        }
        return out;
    }

    @Test
    void discrepancyOfIdenticalMapsIsZero() {
        SplittableRandom random = new SplittableRandom(3);
        float[] f = uniform(random, 9 * 8 * 5, 0, 2);
        float[] out = new float[f.length];
        Ops.discrepancy(f, f.clone(), 9, 8, 5, Scaling.MIN_MAX, out, 1);
        for (float d : out) {
            assertEquals(0, d, 1e-5);
        }
    }

    @Test
    void channelMeanGivesTheReferencesBits() {
        SplittableRandom random = new SplittableRandom(4);
        int[][] shapes = {{6, 7, 1}, {17, 23, 3}, {17, 23, 33}, {64, 64, 24}, {16, 16, 96}, {1, 3, 5}};
        for (int[] s : shapes) {
            float[] chw = gaussian(random, s[0] * s[1] * s[2], 2);
            float[] plane = new float[s[0] * s[1]];
            Ops.channelMean(Layout.chwToHwc(chw, s[2], s[0], s[1]), s[0], s[1], s[2], plane);
            // the same double sum in the same order
            assertArrayEquals(Discrepancy.channelMean(new FeatureMap(s[2], s[0], s[1], chw)), plane,
                    Arrays.toString(s));
        }
    }

    static Stream<Arguments> isas() {
        return Arrays.stream(Isa.values()).map(Arguments::of);
    }

    /** Enlarging is Maps.resize's bilinear, channel by channel, whatever the channels and the place in dst. */
    @ParameterizedTest(name = "on {0}")
    @MethodSource("isas")
    void enlargingEqualsMapsResize(Isa isa) {
        assumeTrue(isa.isSupported(), isa + " is not supported by this CPU");
        SplittableRandom random = new SplittableRandom(5);
        int[][] cases = { // h, w, c, outH, outW, dstChannels, dstOffset
            {16, 16, 1, 32, 32, 1, 0}, {16, 16, 24, 32, 32, 24, 0}, {64, 64, 1, 128, 128, 1, 0},
            {64, 64, 24, 128, 128, 40, 16}, {128, 128, 1, 256, 256, 1, 0}, {128, 128, 24, 256, 256, 24, 0},
            {64, 64, 1, 256, 256, 1, 0}, {6, 7, 3, 17, 23, 5, 1}, {17, 23, 33, 40, 41, 40, 7},
            {5, 9, 96, 7, 9, 100, 3}};
        for (int[] k : cases) {
            int h = k[0];
            int w = k[1];
            int c = k[2];
            int oh = k[3];
            int ow = k[4];
            int dc = k[5];
            int off = k[6];
            float[] src = gaussian(random, h * w * c, 1);
            float[] dst = new float[oh * ow * dc];
            Arrays.fill(dst, Float.NaN);
            Ops.resizeBilinear(src, h, w, c, oh, ow, dst, dc, off, 2, isa);
            float[] expected = new float[oh * ow * c];
            float[] actual = new float[oh * ow * c];
            float[] chw = Layout.hwcToChw(src, c, h, w);
            for (int ch = 0; ch < c; ch++) {
                float[] plane = Maps.resize(Arrays.copyOfRange(chw, ch * h * w, (ch + 1) * h * w), w, h, ow, oh);
                for (int p = 0; p < oh * ow; p++) {
                    expected[p * c + ch] = plane[p];
                    actual[p * c + ch] = dst[p * dc + off + ch];
                }
            }
            double error = relativeError(expected, actual);
            assertTrue(error <= TOLERANCE, Arrays.toString(k) + " on " + isa + ": relative L2 error " + error);
            for (int p = 0; p < oh * ow; p++) {
                for (int ch = 0; ch < dc; ch++) {
                    if (ch < off || ch >= off + c) {
                        assertTrue(Float.isNaN(dst[p * dc + ch]), "channel " + ch + " outside the range was written");
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("isas")
    void gaussianBlurEqualsMaps(Isa isa) {
        assumeTrue(isa.isSupported(), isa + " is not supported by this CPU");
        SplittableRandom random = new SplittableRandom(6);
        // 256x256 with sigma 4 is DAF's; small maps have borders reflected more than once
        double[][] cases = {{256, 256, 4}, {23, 17, 4}, {6, 7, 1.5}, {3, 40, 4}, {1, 1, 2}, {65, 33, 0.3}, {64, 9, 7}};
        for (double[] k : cases) {
            int w = (int) k[0];
            int h = (int) k[1];
            float[] plane = uniform(random, w * h, 0, 3);
            float[] out = new float[w * h];
            Ops.gaussianBlur(plane, w, h, k[2], out, 2, isa);
            double error = relativeError(Maps.gaussianBlur(plane, w, h, k[2]), out);
            assertTrue(error <= TOLERANCE, Arrays.toString(k) + " on " + isa + ": relative L2 error " + error);
        }
    }

    @Test
    void topKMeanEqualsMaps() {
        SplittableRandom random = new SplittableRandom(7);
        float[] values = gaussian(random, 256 * 256, 1);
        for (int k : new int[] {1, 50, 1000, 256 * 256, 300000}) {
            assertEquals(Maps.topKMean(values, k), Ops.topKMean(values, values.length, k), "k = " + k);
        }
        // only the first n count
        float[] longer = Arrays.copyOf(values, values.length + 10);
        Arrays.fill(longer, values.length, longer.length, 1e9f);
        assertEquals(Maps.topKMean(values, 50), Ops.topKMean(longer, values.length, 50));
        // ties across the k-th place, values in one narrow range (one bin of the first pass), negative, zeros
        float[] ties = new float[1000];
        for (int i = 0; i < ties.length; i++) {
            ties[i] = i % 7 == 0 ? 0.5f : 0.5f + (i % 13) * 1e-7f;
        }
        float[] signed = {-3, -1, -0.0f, 0, -2, -1, -1, 5, -7};
        float[] flat = new float[100];
        for (float[] v : List.of(ties, signed, flat, new float[] {Float.NaN, 1, 2})) {
            for (int k = 1; k <= v.length + 1; k++) {
                assertEquals(Maps.topKMean(v, k), Ops.topKMean(v, v.length, k), Arrays.toString(v) + ", k = " + k);
            }
        }
        // smooth maps such as a blurred anomaly map: a gradient sorted in either direction
        float[] ramp = new float[256 * 256];
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = 0.25f + i * 1e-6f;
        }
        assertEquals(Maps.topKMean(ramp, 50), Ops.topKMean(ramp, ramp.length, 50));
        // so many equal to the bound that the prefilter gives up, and a NaN among many
        float[] plateau = new float[256 * 256];
        Arrays.fill(plateau, 0.5f);
        plateau[777] = 2;
        assertEquals(Maps.topKMean(plateau, 50), Ops.topKMean(plateau, plateau.length, 50));
        float[] withNaN = values.clone();
        withNaN[12345] = Float.NaN;
        assertEquals(Maps.topKMean(withNaN, 50), Ops.topKMean(withNaN, withNaN.length, 50));
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("isas")
    void sigmoidEqualsItsFormula(Isa isa) {
        assumeTrue(isa.isSupported(), isa + " is not supported by this CPU");
        SplittableRandom random = new SplittableRandom(8);
        float[] x = gaussian(random, 256 * 256 + 3, 6);
        float[] edges = {0, -0.0f, 1e-8f, -1e-8f, 20, -20, 87, -87, 88.8f, -88.8f, 100, -100, Float.MAX_VALUE,
            -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        System.arraycopy(edges, 0, x, 0, edges.length);
        float[] y = x.clone();
        Ops.sigmoid(y, x.length - 1, isa);
        double worst = 0;
        for (int i = 0; i < x.length - 1; i++) {
            double expected = 1 / (1 + Math.exp(-x[i]));
            assertTrue(y[i] >= 0 && y[i] <= 1, "sigmoid(" + x[i] + ") = " + y[i]);
            if (expected > 1e-37) {
                worst = Math.max(worst, Math.abs(y[i] - expected) / expected);
            } else {
                assertTrue(y[i] < 1e-37, "sigmoid(" + x[i] + ") = " + y[i]);
            }
        }
        assertTrue(worst <= 5e-7, "worst relative error " + worst + " on " + isa);
        assertEquals(x[x.length - 1], y[x.length - 1], "beyond n");
        float[] nan = {Float.NaN};
        Ops.sigmoid(nan, 1, isa);
        assertTrue(Float.isNaN(nan[0]));
    }

    @Test
    void reluClampsBelowZeroOnly() {
        float[] x = {-1, 0, 2, -0.5f, Float.NaN, Float.NEGATIVE_INFINITY, 3e38f, -7};
        Ops.relu(x, 7);
        assertArrayEquals(new float[] {0, 0, 2, 0, Float.NaN, 0, 3e38f, -7}, x);
    }

    @Test
    void fuseNearestUpsamplesAndTilesChannels() {
        SplittableRandom random = new SplittableRandom(9);
        int[][] cases = {{16, 16, 96, 4, 24}, {32, 32, 32, 2, 96}, {64, 64, 24, 1, 96}, {5, 3, 7, 3, 16},
            {4, 6, 33, 2, 33}, {3, 3, 40, 2, 24}};
        for (int[] k : cases) {
            int h = k[0];
            int w = k[1];
            int c = k[2];
            int f = k[3];
            int dc = k[4];
            float[] src = gaussian(random, h * w * c, 1);
            float[] base = gaussian(random, h * f * w * f * dc, 1);
            float[] set = base.clone();
            float[] added = base.clone();
            Ops.fuseNearest(src, h, w, c, f, set, dc, false);
            Ops.fuseNearest(src, h, w, c, f, added, dc, true);
            for (int y = 0; y < h * f; y++) {
                for (int x = 0; x < w * f; x++) {
                    for (int ch = 0; ch < dc; ch++) {
                        int at = (y * w * f + x) * dc + ch;
                        float v = src[((y / f) * w + x / f) * c + ch % c];
                        assertEquals(v, set[at]);
                        assertEquals(base[at] + v, added[at]);
                    }
                }
            }
        }
    }

    @Test
    void copyChannelsWritesItsRangeOnly() {
        SplittableRandom random = new SplittableRandom(10);
        int pixels = 17 * 23;
        float[] a = gaussian(random, pixels * 24, 1);
        float[] b = gaussian(random, pixels * 33, 1);
        float[] dst = new float[pixels * 57];
        Ops.copyChannels(a, pixels, 24, dst, 57, 0);
        Ops.copyChannels(b, pixels, 33, dst, 57, 24);
        for (int p = 0; p < pixels; p++) {
            for (int ch = 0; ch < 57; ch++) {
                assertEquals(ch < 24 ? a[p * 24 + ch] : b[p * 33 + ch - 24], dst[p * 57 + ch]);
            }
        }
        float[] same = new float[a.length];
        Ops.copyChannels(a, pixels, 24, same, 24, 0);
        assertArrayEquals(a, same);
    }

    @Test
    void depthToSpaceMovesEachChannelToItsPixel() {
        SplittableRandom random = new SplittableRandom(11);
        int h = 5;
        int w = 7;
        int c4 = 4 * 9;
        float[] src = gaussian(random, h * w * c4, 1);
        float[] dst = new float[src.length];
        Ops.depthToSpace(src, h, w, c4, dst);
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                for (int k = 0; k < c4; k++) {
                    int a = k % 4 / 2;
                    int b = k % 2;
                    assertEquals(src[(i * w + j) * c4 + k], dst[((2 * i + a) * 2 * w + 2 * j + b) * (c4 / 4) + k / 4]);
                }
            }
        }
    }

    /** Bands of rows change which thread computes a value, never how: the same bits on 1, 2, 3 and 5 threads. */
    @Test
    void resultsDoNotDependOnTheThreadCount() {
        SplittableRandom random = new SplittableRandom(12);
        float[] s = gaussian(random, 37 * 29 * 40, 1);
        float[] t = gaussian(random, s.length, 1);
        float[] plane = uniform(random, 256 * 256, 0, 1);
        float[] big = gaussian(random, 64 * 64 * 24, 1);
        float[][] single = runAll(s, t, plane, big, 1);
        for (int threads : new int[] {2, 3, 5}) {
            float[][] multi = runAll(s, t, plane, big, threads);
            for (int i = 0; i < single.length; i++) {
                assertArrayEquals(single[i], multi[i], "result " + i + " on " + threads + " threads");
            }
        }
    }

    private static float[][] runAll(float[] s, float[] t, float[] plane, float[] big, int threads) {
        float[] d = new float[s.length];
        Ops.discrepancy(s, t, 37, 29, 40, Scaling.MAX, d, threads);
        float[] blurred = new float[plane.length];
        Ops.gaussianBlur(plane, 256, 256, 4, blurred, threads);
        float[] up = new float[128 * 128 * 24];
        Ops.resizeBilinear(big, 64, 64, 24, 128, 128, up, 24, 0, threads);
        float[] down = new float[16 * 16 * 24];
        Ops.resizeBilinear(big, 64, 64, 24, 16, 16, down, 24, 0, threads);
        return new float[][] {d, blurred, up, down};
    }

    static float[] uniform(SplittableRandom random, int n, float lo, float hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (lo + (hi - lo) * random.nextDouble());
        }
        return v;
    }

    static float[] gaussian(SplittableRandom random, int n, double sigma) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (sigma * random.nextGaussian());
        }
        return v;
    }

    static double relativeError(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, "lengths");
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = (double) expected[i] - actual[i];
            diff += d * d;
            norm += (double) expected[i] * expected[i];
        }
        return norm > 0 ? Math.sqrt(diff / norm) : Math.sqrt(diff);
    }
}
