package io.dafedge.model.daf;

import java.util.Arrays;
import java.util.Random;

import ai.djl.ndarray.NDArray;
import io.dafedge.model.FeatureMap;

/** Seeded inputs and the bridge from a DJL batch to the plain-Java feature maps of its samples. */
final class TestArrays {
    private TestArrays() {
    }

    static float[] uniform(Random random, int n, float lo, float hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * random.nextFloat();
        }
        return v;
    }

    /** Roughly the value spread of the shared teacher: about half negative. */
    static float[] gaussian(Random random, int n, float sigma) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (sigma * random.nextGaussian());
        }
        return v;
    }

    static FeatureMap constant(int c, int h, int w, float value) {
        float[] v = new float[c * h * w];
        Arrays.fill(v, value);
        return new FeatureMap(c, h, w, v);
    }

    /** Sample {@code i} of an {@code (N, C, H, W)} array. */
    static FeatureMap sample(NDArray batch, int i) {
        long[] s = batch.getShape().getShape();
        return new FeatureMap((int) s[1], (int) s[2], (int) s[3], batch.get(i).toFloatArray());
    }

    /** {@code n} masks of {@code size x size}: a filled rectangle per sample, at a different place and size. */
    static float[] rectangles(int n, int size, int[][] boxes) {
        float[] m = new float[n * size * size];
        for (int i = 0; i < n; i++) {
            int[] b = boxes[i];
            for (int y = b[1]; y < b[3]; y++) {
                for (int x = b[0]; x < b[2]; x++) {
                    m[(i * size + y) * size + x] = 1;
                }
            }
        }
        return m;
    }
}
