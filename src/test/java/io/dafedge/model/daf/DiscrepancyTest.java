package io.dafedge.model.daf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;

import io.dafedge.model.FeatureMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The plain-Java discrepancy against hand-computed values and a brute-force 2-D SSIM. */
class DiscrepancyTest {
    private static final double C1 = 1e-4;

    @ParameterizedTest
    @EnumSource(Normalisation.class)
    void identicalMapsGiveZero(Normalisation n) {
        float[] v = TestArrays.gaussian(new Random(1), 3 * 12 * 9, 2);
        FeatureMap f = new FeatureMap(3, 12, 9, v);
        for (float d : new Discrepancy(n).map(f, f).data()) {
            assertEquals(0, d, 1e-6);
        }
    }

    @Test
    void constantMapsOfOppositeSignByHand() {
        FeatureMap s = TestArrays.constant(1, 8, 8, 2);
        FeatureMap t = TestArrays.constant(1, 8, 8, -3);
        // max-abs scales them to +1 and -1; no variance, so SSIM is the luminance term alone; cos over 1 channel = -1
        float expected = (float) (1 - (-2 + C1) / (2 + C1) + 2);
        assertEquals(expected, new Discrepancy(Normalisation.MAX_ABS).map(s, t).data()[0], 1e-6);
        // divide-by-max turns -3 into +1: SSIM sees no difference, only the cosine does
        assertEquals(2, new Discrepancy(Normalisation.MAX).map(s, t).data()[27], 1e-6);
        // min-max sends any constant channel to 0
        assertEquals(2, new Discrepancy(Normalisation.MIN_MAX).map(s, t).data()[63], 1e-6);
    }

    @Test
    void cosineOverChannelsByHand() {
        float[] s = new float[2 * 36];
        float[] t = new float[2 * 36];
        float[][] pairs = {{1, 0, 0, 1}, {1, 1, 2, 2}, {3, 4, 4, 3}, {0, 0, 1, 2}, {1, 2, -2, -4}};
        for (int p = 0; p < pairs.length; p++) {
            s[p] = pairs[p][0];
            s[36 + p] = pairs[p][1];
            t[p] = pairs[p][2];
            t[36 + p] = pairs[p][3];
        }
        float[] cos = Discrepancy.cosine(new FeatureMap(2, 6, 6, s), new FeatureMap(2, 6, 6, t));
        assertArrayEquals(new float[] {0, 1, 24f / 25, 0, -1}, Arrays.copyOf(cos, 5), 1e-6f);
    }

    @Test
    void ssimEqualsABruteForceTwoDimensionalWindow() {
        int h = 12;
        int w = 9;
        Random random = new Random(7);
        float[] s = TestArrays.uniform(random, h * w, 0, 3);
        float[] t = TestArrays.uniform(random, h * w, 0, 3);
        float[] got = new Discrepancy(Normalisation.MAX).ssim(new FeatureMap(1, h, w, s), new FeatureMap(1, h, w, t))
                .data();
        double[] x = divideByMaxAndPad(s, h, w);
        double[] y = divideByMaxAndPad(t, h, w);
        double[][] window = window2d();
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                double mx = 0;
                double my = 0;
                double xx = 0;
                double yy = 0;
                double xy = 0;
                for (int i = 0; i < 11; i++) {
                    for (int j = 0; j < 11; j++) {
                        double a = x[(r + i) * (w + 10) + c + j];
                        double b = y[(r + i) * (w + 10) + c + j];
                        mx += window[i][j] * a;
                        my += window[i][j] * b;
                        xx += window[i][j] * a * a;
                        yy += window[i][j] * b * b;
                        xy += window[i][j] * a * b;
                    }
                }
                double ssim = (2 * mx * my + C1) / (mx * mx + my * my + C1)
                        * (2 * (xy - mx * my) + 9e-4) / (xx - mx * mx + yy - my * my + 9e-4);
                assertEquals(ssim, got[r * w + c], 1e-6, "pixel " + r + "," + c);
            }
        }
    }

    @Test
    void minMaxDiscrepancyIgnoresAPositiveScaleOfAMap() {
        Random random = new Random(3);
        FeatureMap s = new FeatureMap(2, 10, 10, TestArrays.gaussian(random, 200, 1));
        FeatureMap t = new FeatureMap(2, 10, 10, TestArrays.gaussian(random, 200, 1));
        float[] scaled = s.data().clone();
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] = 5 * scaled[i];
        }
        Discrepancy d = new Discrepancy(Normalisation.MIN_MAX);
        assertArrayEquals(d.map(s, t).data(), d.map(new FeatureMap(2, 10, 10, scaled), t).data(), 1e-5f);
    }

    @Test
    void reflectPaddingDoesNotRepeatTheEdge() {
        assertEquals(1, Discrepancy.reflect(-1, 6));
        assertEquals(5, Discrepancy.reflect(-5, 6));
        assertEquals(4, Discrepancy.reflect(6, 6));
        assertEquals(0, Discrepancy.reflect(10, 6));
    }

    @Test
    void refusesMismatchedOrTooSmallMaps() {
        Discrepancy d = new Discrepancy(Normalisation.MIN_MAX);
        assertThrows(IllegalArgumentException.class,
                () -> d.map(TestArrays.constant(2, 8, 8, 1), TestArrays.constant(3, 8, 8, 1)));
        assertThrows(IllegalArgumentException.class,
                () -> d.map(TestArrays.constant(1, 5, 8, 1), TestArrays.constant(1, 5, 8, 1)));
    }

    @Test
    void channelMeanAveragesEveryPixelOverChannels() {
        FeatureMap m = new FeatureMap(2, 1, 2, new float[] {1, 2, 3, 6});
        assertArrayEquals(new float[] {2, 4}, Discrepancy.channelMean(m), 0f);
    }

    private static double[] divideByMaxAndPad(float[] v, int h, int w) {
        double max = Double.NEGATIVE_INFINITY;
        for (float f : v) {
            max = Math.max(max, f);
        }
        double[] out = new double[(h + 10) * (w + 10)];
        for (int r = -5; r < h + 5; r++) {
            for (int c = -5; c < w + 5; c++) {
                int rr = r < 0 ? -r : r >= h ? 2 * h - 2 - r : r;
                int cc = c < 0 ? -c : c >= w ? 2 * w - 2 - c : c;
                out[(r + 5) * (w + 10) + c + 5] = v[rr * w + cc] / (max + 1e-10);
            }
        }
        return out;
    }

    private static double[][] window2d() {
        double[][] g = new double[11][11];
        double sum = 0;
        for (int i = 0; i < 11; i++) {
            for (int j = 0; j < 11; j++) {
                g[i][j] = Math.exp(-((i - 5) * (i - 5) + (j - 5) * (j - 5)) / 4.5);
                sum += g[i][j];
            }
        }
        for (double[] row : g) {
            for (int j = 0; j < 11; j++) {
                row[j] /= sum;
            }
        }
        return g;
    }
}
