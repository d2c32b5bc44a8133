package io.dafedge.model.daf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.dafedge.kernels.Isa;
import io.dafedge.kernels.Layout;
import io.dafedge.kernels.Ops;
import io.dafedge.model.djl.Djl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kernels' resizes and depth-to-space against what {@link DafNetwork} runs on DJL's PyTorch engine: bilinear
 * {@code interpolation} (antialiased when shrinking), nearest upsampling with channel tiling, and
 * {@link DafNetwork#depthToSpace}. Here, in the network's package, because those are package-private.
 */
class OpsAgainstDafNetworkTest {
    private static final double TOLERANCE = 1e-5;

    private static NDManager manager;

    @BeforeAll
    static void engine() {
        manager = Djl.newManager();
    }

    @AfterAll
    static void closeEngine() {
        manager.close();
    }

    /** A resize of an h x w x c map into channels [off, off + c) of an oh x ow x dc one. */
    record Resize(int h, int w, int c, int oh, int ow, int dc, int off) {
        @Override
        public String toString() {
            return h + "x" + w + "x" + c + " -> " + oh + "x" + ow + (dc == c ? "" : " into [" + off + ", "
                    + (off + c) + ") of " + dc);
        }
    }

    static Stream<Arguments> resizes() {
        List<Resize> resizes = List.of(
                // DAF's: the fused map to stride 16, decoder up x2, the head's input, at a 256x256 image
                new Resize(64, 64, 96, 16, 16, 96, 0), new Resize(16, 16, 192, 32, 32, 192, 0),
                new Resize(64, 64, 56, 128, 128, 56, 0),
                new Resize(64, 64, 1, 16, 16, 1, 0), new Resize(64, 64, 24, 16, 16, 24, 0),
                new Resize(128, 128, 1, 32, 32, 1, 0), new Resize(128, 128, 24, 32, 32, 40, 16),
                new Resize(16, 16, 1, 32, 32, 1, 0), new Resize(16, 16, 24, 32, 32, 24, 0),
                new Resize(64, 64, 1, 128, 128, 1, 0), new Resize(64, 64, 24, 128, 128, 56, 32),
                new Resize(128, 128, 1, 256, 256, 1, 0), new Resize(128, 128, 24, 256, 256, 24, 0),
                // odd sizes and factors, one axis shrinking while the other grows or stays
                new Resize(17, 23, 3, 6, 7, 3, 0), new Resize(23, 17, 33, 9, 40, 35, 2),
                new Resize(6, 7, 5, 17, 23, 5, 0), new Resize(40, 16, 24, 40, 5, 24, 0),
                new Resize(16, 40, 96, 32, 10, 100, 4), new Resize(7, 9, 1, 3, 2, 1, 0));
        List<Arguments> all = new ArrayList<>();
        for (Isa isa : Isa.values()) {
            for (Resize r : resizes) {
                all.add(Arguments.of(r, isa));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("resizes")
    void bilinearEqualsDjlsInterpolation(Resize r, Isa isa) {
        assumeTrue(isa.isSupported(), isa + " is not supported by this CPU");
        SplittableRandom random = new SplittableRandom(r.hashCode());
        float[] chw = gaussian(random, r.c * r.h * r.w);
        float[] expected;
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(chw, new Shape(1, r.c, r.h, r.w));
            expected = DafNetwork.resize(x, r.oh, r.ow, 1).toFloatArray();
        }
        float[] dst = new float[r.oh * r.ow * r.dc];
        Arrays.fill(dst, Float.NaN);
        Ops.resizeBilinear(Layout.chwToHwc(chw, r.c, r.h, r.w), r.h, r.w, r.c, r.oh, r.ow, dst, r.dc, r.off, 2, isa);
        float[] actual = new float[r.oh * r.ow * r.c];
        for (int p = 0; p < r.oh * r.ow; p++) {
            for (int ch = 0; ch < r.dc; ch++) {
                float v = dst[p * r.dc + ch];
                if (ch >= r.off && ch < r.off + r.c) {
                    actual[p * r.c + ch - r.off] = v;
                } else {
                    assertTrue(Float.isNaN(v), "channel " + ch + ", outside the range, was written");
                }
            }
        }
        double error = relativeError(expected, Layout.hwcToChw(actual, r.c, r.oh, r.ow));
        assertTrue(error <= TOLERANCE, r + " on " + isa + ": relative L2 error " + error);
    }

    /** DafNetwork.fuse's steps for one level: nearest upsampling (mode 0), tiling to the fused channels, sum. */
    @Test
    void fuseNearestEqualsNearestInterpolationAndTiling() {
        SplittableRandom random = new SplittableRandom(2);
        // levels of a 256x256 image with MobileNetV2's 24, 32, 96 channels, and odd ones
        int[][] levels = {{64, 64, 24, 1}, {32, 32, 32, 2}, {16, 16, 96, 4}, {5, 7, 5, 3}, {6, 6, 40, 2}};
        int fused = 96;
        for (int[] l : levels) {
            int h = l[0];
            int w = l[1];
            int c = l[2];
            int f = l[3];
            int dc = l == levels[4] ? 24 : fused;
            float[] chw = gaussian(random, c * h * w);
            float[] base = gaussian(random, h * f * w * f * dc);
            float[] expected;
            try (NDManager m = manager.newSubManager()) {
                NDArray up = DafNetwork.resize(m.create(chw, new Shape(1, c, h, w)), (long) h * f, (long) w * f, 0);
                NDList copies = new NDList();
                for (int i = 0; i < (dc + c - 1) / c; i++) {
                    copies.add(up);
                }
                NDArray tiled = NDArrays.concat(copies, 1).get(":, 0:" + dc);
                expected = tiled.add(m.create(base, new Shape(1, dc, (long) h * f, (long) w * f))).toFloatArray();
            }
            float[] dst = Layout.chwToHwc(base, dc, h * f, w * f);
            Ops.fuseNearest(Layout.chwToHwc(chw, c, h, w), h, w, c, f, dst, dc, true);
            assertArrayEquals(expected, Layout.hwcToChw(dst, dc, h * f, w * f), Arrays.toString(l));
        }
    }

    @Test
    void depthToSpaceEqualsTheNetworks() {
        SplittableRandom random = new SplittableRandom(3);
        int[][] shapes = {{16, 16, 128}, {5, 7, 12}, {1, 1, 4}};
        for (int[] s : shapes) {
            int h = s[0];
            int w = s[1];
            int c4 = s[2];
            float[] chw = gaussian(random, c4 * h * w);
            float[] expected;
            try (NDManager m = manager.newSubManager()) {
                expected = DafNetwork.depthToSpace(m.create(chw, new Shape(1, c4, h, w))).toFloatArray();
            }
            float[] dst = new float[chw.length];
            Ops.depthToSpace(Layout.chwToHwc(chw, c4, h, w), h, w, c4, dst);
            assertArrayEquals(expected, Layout.hwcToChw(dst, c4 / 4, 2 * h, 2 * w), Arrays.toString(s));
        }
    }

    private static float[] gaussian(SplittableRandom random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    private static double relativeError(float[] expected, float[] actual) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = (double) expected[i] - actual[i];
            diff += d * d;
            norm += (double) expected[i] * expected[i];
        }
        return Math.sqrt(diff / norm);
    }
}
