package io.dafedge.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class MapsTest {
    @Test
    void reflectRepeatsTheEdgePixelLikeScipy() {
        int[] expected = {1, 0, 0, 1, 2, 3, 3, 2}; // indices -2..5 for n = 4: (b a | a b c d | d c)
        for (int i = -2; i <= 5; i++) {
            assertEquals(expected[i + 2], Maps.reflect(i, 4), "index " + i);
        }
    }

    @Test
    void gaussianBlurEqualsADirect2dConvolution() {
        SplittableRandom rnd = new SplittableRandom(1);
        int w = 23;
        int h = 17;
        float[] map = new float[w * h];
        for (int i = 0; i < map.length; i++) {
            map[i] = (float) rnd.nextDouble();
        }
        double sigma = 2.0;
        float[] fast = Maps.gaussianBlur(map, w, h, sigma);
        int r = 8;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double acc = 0;
                double norm = 0;
                for (int dy = -r; dy <= r; dy++) {
                    for (int dx = -r; dx <= r; dx++) {
                        double k = Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
                        norm += k;
                        acc += k * map[Maps.reflect(y + dy, h) * w + Maps.reflect(x + dx, w)];
                    }
                }
                assertEquals(acc / norm, fast[y * w + x], 1e-5);
            }
        }
    }

    @Test
    void blurKeepsAConstantMapAndItsMass() {
        float[] flat = new float[40 * 30];
        java.util.Arrays.fill(flat, 2.5f);
        for (float v : Maps.gaussianBlur(flat, 40, 30, 4)) {
            assertEquals(2.5f, v, 1e-5);
        }
    }

    @Test
    void resizeMatchesHalfPixelBilinear() {
        float[] src = {0, 1, 2, 3}; // 2 x 2
        float[] up = Maps.resize(src, 2, 2, 4, 4);
        // torch.nn.functional.interpolate(align_corners=False) of [[0,1],[2,3]] to 4x4, first row
        assertEquals(0f, up[0], 1e-6);
        assertEquals(0.25f, up[1], 1e-6);
        assertEquals(0.75f, up[2], 1e-6);
        assertEquals(1f, up[3], 1e-6);
        // row 2, column 1: 0.25 * (0.75 * 0 + 0.25 * 1) + 0.75 * (0.75 * 2 + 0.25 * 3)
        assertEquals(1.75f, up[2 * 4 + 1], 1e-6);
    }

    @Test
    void topKMeanAndMax() {
        float[] v = {5, 1, 9, 3, 7};
        assertEquals(8f, Maps.topKMean(v, 2), 1e-6);
        assertEquals(5f, Maps.topKMean(v, 50), 1e-6);
        assertEquals(9f, Maps.max(v));
    }
}
