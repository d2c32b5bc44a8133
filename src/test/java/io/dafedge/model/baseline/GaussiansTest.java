package io.dafedge.model.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GaussiansTest {
    /** Four 2-d samples at position 0, and the same shifted by (10, -10) at position 1 (same covariance). */
    private static final float[][] SAMPLES = {{1, 2}, {3, 1}, {2, 4}, {0, 3}};

    @Test
    void meanInverseCovarianceAndMahalanobisMatchAHandInverted2x2() {
        Gaussians g;
        try (Parallel par = new Parallel(2)) {
            Gaussians.Accumulator acc = new Gaussians.Accumulator(2, 2);
            for (float[] s : SAMPLES) {
                acc.add(new float[] {s[0], s[1], s[0] + 10, s[1] - 10}, par);
            }
            g = acc.finish(0.01, par);
        }
        // deviations from the mean (1.5, 2.5): sums of squares 5 and 5, cross products -2, over n - 1 = 3
        double a = 5.0 / 3 + 0.01;
        double b = -2.0 / 3;
        double det = a * a - b * b;
        double[] inverse = {a / det, -b / det, -b / det, a / det};
        assertArrayEquals(new float[] {1.5f, 2.5f, 11.5f, -7.5f}, g.mean(), 1e-6f);
        for (int p = 0; p < 2; p++) {
            for (int i = 0; i < 4; i++) {
                assertEquals(inverse[i], g.inverse()[p * 4 + i], 1e-5, "position " + p + " entry " + i);
            }
        }
        float[] x = {4, 0, 11.5f, -7.5f}; // (2.5, -2.5) off the mean at position 0, on the mean at position 1
        double dx = 2.5;
        double dy = -2.5;
        double expected = Math.sqrt(dx * (inverse[0] * dx + inverse[1] * dy) + dy * (inverse[2] * dx + inverse[3] * dy));
        float[] d;
        try (Parallel par = new Parallel(1)) {
            d = g.distances(x, par);
        }
        assertEquals(expected, d[0], 1e-5);
        assertEquals(0, d[1], 1e-6);
    }

    @Test
    void invertSpdGivesTheInverse() {
        int n = 12;
        float[] r = EmbeddingTest.random(n * n, 3);
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < n; k++) {
                    a[i * n + j] += r[i * n + k] * r[j * n + k]; // R R^T + I is symmetric positive definite
                }
            }
            a[i * n + i] += 1;
        }
        double[] inv = Gaussians.invertSpd(a, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += a[i * n + k] * inv[k * n + j];
                }
                assertEquals(i == j ? 1 : 0, s, 1e-9, "(" + i + ", " + j + ")");
            }
        }
    }

    @Test
    void aSingleImageGivesTheRegularisationAlone() {
        try (Parallel par = new Parallel(1)) {
            Gaussians.Accumulator acc = new Gaussians.Accumulator(1, 2);
            acc.add(new float[] {3, 4}, par);
            Gaussians g = acc.finish(0.01, par);
            assertArrayEquals(new float[] {100, 0, 0, 100}, g.inverse(), 1e-3f);
        }
    }
}
