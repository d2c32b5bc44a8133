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
    void streamedBatchesMatchATwoPassCovarianceWhateverTheThreads() {
        int positions = 3;
        int dim = 4;
        int n = 37; // two full batches and a partial one
        float[][] samples = new float[n][];
        for (int s = 0; s < n; s++) {
            samples[s] = EmbeddingTest.random(positions * dim, 100 + s);
        }
        Gaussians one = fit(samples, positions, dim, 1);
        Gaussians two = fit(samples, positions, dim, 2);
        assertArrayEquals(one.inverse(), two.inverse());
        for (int p = 0; p < positions; p++) {
            double[] mu = new double[dim];
            for (float[] x : samples) {
                for (int i = 0; i < dim; i++) {
                    mu[i] += x[p * dim + i] / (double) n;
                }
            }
            double[] cov = new double[dim * dim];
            for (float[] x : samples) {
                for (int i = 0; i < dim; i++) {
                    for (int j = 0; j < dim; j++) {
                        cov[i * dim + j] += (x[p * dim + i] - mu[i]) * (x[p * dim + j] - mu[j]) / (n - 1);
                    }
                }
            }
            for (int i = 0; i < dim; i++) {
                assertEquals(mu[i], one.mean()[p * dim + i], 1e-6);
                cov[i * dim + i] += 0.01;
                for (int j = 0; j < dim; j++) {
                    double s = 0; // (cov * inverse)_ij
                    for (int k = 0; k < dim; k++) {
                        s += cov[i * dim + k] * one.inverse()[(p * dim + k) * dim + j];
                    }
                    assertEquals(i == j ? 1 : 0, s, 1e-5, "position " + p + " (" + i + ", " + j + ")");
                }
            }
        }
    }

    private static Gaussians fit(float[][] samples, int positions, int dim, int threads) {
        try (Parallel par = new Parallel(threads)) {
            Gaussians.Accumulator acc = new Gaussians.Accumulator(positions, dim);
            for (float[] s : samples) {
                acc.add(s, par);
            }
            return acc.finish(0.01, par);
        }
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
