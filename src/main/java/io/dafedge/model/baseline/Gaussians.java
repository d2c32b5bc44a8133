package io.dafedge.model.baseline;

import java.util.Arrays;

/**
 * PaDiM's model: one multivariate Gaussian per grid position, kept as its mean and inverse covariance, scored by
 * the Mahalanobis distance.
 */
final class Gaussians {
    private final int positions;
    private final int dim;
    /** {@code positions x dim}. */
    private final float[] mean;
    /** {@code positions x dim x dim}. */
    private final float[] inverse;

    Gaussians(int positions, int dim, float[] mean, float[] inverse) {
        if (mean.length != positions * dim || inverse.length != positions * dim * dim) {
            throw new IllegalArgumentException("mean and inverse covariance do not fit " + positions + " positions of " + dim);
        }
        this.positions = positions;
        this.dim = dim;
        this.mean = mean;
        this.inverse = inverse;
    }

    int positions() {
        return positions;
    }

    int dim() {
        return dim;
    }

    float[] mean() {
        return mean;
    }

    float[] inverse() {
        return inverse;
    }

    /** Mahalanobis distance {@code sqrt((x - mu)^T S^-1 (x - mu))} of each position of a {@code positions x dim} embedding. */
    float[] distances(float[] embedding, Parallel par) {
        float[] out = new float[positions];
        par.forRanges(positions, (from, to) -> {
            double[] delta = new double[dim];
            for (int p = from; p < to; p++) {
                for (int i = 0; i < dim; i++) {
                    delta[i] = embedding[p * dim + i] - mean[p * dim + i];
                }
                double sum = 0;
                for (int i = 0; i < dim; i++) {
                    int row = (p * dim + i) * dim;
                    double r = 0;
                    for (int j = 0; j < dim; j++) {
                        r += inverse[row + j] * delta[j];
                    }
                    sum += delta[i] * r;
                }
                out[p] = (float) Math.sqrt(Math.max(0, sum));
            }
        });
        return out;
    }

    /**
     * Streams embeddings into per-position sums of x and x x^T (in double), so training memory does not grow with
     * the number of images. Embeddings are applied in batches: each position's 80 KB of sums is then read from
     * memory once per batch rather than once per image (the whole set is 330 MB). Only the upper triangle of
     * x x^T is summed; row {@code i} of a position's sums is its own array, so the update runs over arrays indexed
     * alike, which C2 vectorises.
     */
    static final class Accumulator {
        private static final int BATCH = 16;

        private final int positions;
        private final int dim;
        private final double[] sum;
        private final double[][] outer;
        private final float[][] pending = new float[BATCH][];
        private int pendingCount;
        private int count;

        Accumulator(int positions, int dim) {
            this.positions = positions;
            this.dim = dim;
            this.sum = new double[positions * dim];
            this.outer = new double[positions * dim][dim];
        }

        void add(float[] embedding, Parallel par) {
            if (embedding.length != positions * dim) {
                throw new IllegalArgumentException("embedding of " + embedding.length + " floats is not " + positions
                        + " x " + dim);
            }
            pending[pendingCount++] = embedding;
            count++;
            if (pendingCount == BATCH) {
                flush(par);
            }
        }

        private void flush(Parallel par) {
            int n = pendingCount;
            par.forRanges(positions, (from, to) -> {
                double[] x = new double[dim];
                for (int p = from; p < to; p++) {
                    for (int b = 0; b < n; b++) {
                        float[] e = pending[b];
                        for (int i = 0; i < dim; i++) {
                            x[i] = e[p * dim + i];
                            sum[p * dim + i] += x[i];
                        }
                        for (int i = 0; i < dim; i++) {
                            double[] row = outer[p * dim + i];
                            double xi = x[i];
                            for (int j = i; j < dim; j++) {
                                row[j] += xi * x[j];
                            }
                        }
                    }
                }
            });
            Arrays.fill(pending, null);
            pendingCount = 0;
        }

        /**
         * Means and inverse covariances: the unbiased sample covariance (divided by n - 1, or by 1 for a single
         * image) plus {@code regularisation} on the diagonal, inverted through its Cholesky factor.
         */
        Gaussians finish(double regularisation, Parallel par) {
            if (count == 0) {
                throw new IllegalStateException("no embeddings were added");
            }
            flush(par);
            float[] mean = new float[positions * dim];
            float[] inverse = new float[positions * dim * dim];
            double n = count;
            double denominator = Math.max(1, count - 1);
            par.forRanges(positions, (from, to) -> {
                double[] mu = new double[dim];
                double[] cov = new double[dim * dim];
                for (int p = from; p < to; p++) {
                    for (int i = 0; i < dim; i++) {
                        mu[i] = sum[p * dim + i] / n;
                        mean[p * dim + i] = (float) mu[i];
                    }
                    for (int i = 0; i < dim; i++) {
                        double[] row = outer[p * dim + i];
                        for (int j = i; j < dim; j++) {
                            double c = (row[j] - n * mu[i] * mu[j]) / denominator;
                            cov[i * dim + j] = c;
                            cov[j * dim + i] = c;
                        }
                        cov[i * dim + i] += regularisation;
                    }
                    double[] inv = invertSpd(cov, dim);
                    int base = p * dim * dim;
                    for (int i = 0; i < dim * dim; i++) {
                        inverse[base + i] = (float) inv[i];
                    }
                }
            });
            return new Gaussians(positions, dim, mean, inverse);
        }
    }

    /**
     * Inverse of a symmetric positive-definite {@code n x n} matrix (row-major): A = L L^T, A^-1 = L^-T L^-1. The
     * regularised covariance is positive definite by construction; a failure means NaN or infinite features.
     */
    static double[] invertSpd(double[] a, int n) {
        double[] l = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i * n + j];
                for (int k = 0; k < j; k++) {
                    s -= l[i * n + k] * l[j * n + k];
                }
                if (i == j) {
                    if (!(s > 0)) {
                        throw new IllegalArgumentException("covariance is not positive definite (non-finite features?)");
                    }
                    l[i * n + i] = Math.sqrt(s);
                } else {
                    l[i * n + j] = s / l[j * n + j];
                }
            }
        }
        double[] li = new double[n * n]; // L^-1, lower triangular, by forward substitution column by column
        for (int j = 0; j < n; j++) {
            li[j * n + j] = 1 / l[j * n + j];
            for (int i = j + 1; i < n; i++) {
                double s = 0;
                for (int k = j; k < i; k++) {
                    s -= l[i * n + k] * li[k * n + j];
                }
                li[i * n + j] = s / l[i * n + i];
            }
        }
        double[] inv = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int k = i; k < n; k++) { // (L^-T L^-1)_ij = sum_k Li_ki Li_kj, nonzero for k >= max(i, j) = i
                    s += li[k * n + i] * li[k * n + j];
                }
                inv[i * n + j] = s;
                inv[j * n + i] = s;
            }
        }
        return inv;
    }
}
