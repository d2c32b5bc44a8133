package io.dafedge.model.baseline;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * PatchCore's memory-bank reduction (Roth et al. 2022, Algorithm 1): greedy k-center selection, each step adding
 * the point farthest from those already chosen, with distances measured after a random linear projection to fewer
 * dimensions (Johnson-Lindenstrauss) to make each step cheaper.
 */
final class Coreset {
    private Coreset() {
    }

    /**
     * {@code n} row-major points of {@code dim} floats projected to {@code outDim} dimensions by a dense Gaussian
     * matrix with entries N(0, 1/outDim), which preserves squared distances in expectation.
     */
    static float[] project(float[] points, int n, int dim, int outDim, long seed, Parallel par) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] matrix = new float[dim * outDim];
        double scale = 1 / Math.sqrt(outDim);
        for (int i = 0; i < matrix.length; i++) {
            matrix[i] = (float) (gaussian(rnd) * scale);
        }
        float[] out = new float[n * outDim];
        par.forRanges(n, (from, to) -> {
            for (int i = from; i < to; i++) {
                for (int d = 0; d < dim; d++) {
                    float v = points[i * dim + d];
                    int row = d * outDim;
                    int o = i * outDim;
                    for (int e = 0; e < outDim; e++) {
                        out[o + e] += v * matrix[row + e];
                    }
                }
            }
        });
        return out;
    }

    /** Box-Muller: SplittableRandom has no nextGaussian on JDK 17. */
    private static double gaussian(SplittableRandom rnd) {
        double u = 1 - rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }

    /**
     * Indices of {@code k} points chosen greedily from {@code start}: each next one is the point whose distance to
     * its nearest chosen point is largest (the lowest index on ties). Selected points are at distance 0 and so are
     * never chosen twice while unchosen points at a positive distance remain.
     */
    static int[] greedy(ChunkedPoints points, int k, int start, Parallel par) {
        int chunks = points.chunks();
        float[][] nearest = new float[chunks][];
        for (int c = 0; c < chunks; c++) {
            nearest[c] = new float[points.chunkLength(c)];
            Arrays.fill(nearest[c], Float.POSITIVE_INFINITY);
        }
        // Each chunk's largest nearest-distance and its first index. Distances only ever shrink, so a chunk needs
        // a rescan only when its own maximum shrank: rare after the first steps, which takes the argmax (a scalar,
        // branchy loop) out of the per-step cost.
        float[] chunkMax = new float[chunks];
        int[] chunkArg = new int[chunks];
        int parts = Math.min(chunks, par.threads());
        float[][] scratch = new float[parts][ChunkedPoints.CHUNK];
        int[] chosen = new int[k];
        chosen[0] = start;
        for (int s = 1; s < k; s++) {
            float[] centre = points.point(chosen[s - 1]);
            // one range per part, so each part owns its scratch row
            par.forRanges(parts, (p0, p1) -> {
                for (int p = p0; p < p1; p++) {
                    float[] acc = scratch[p];
                    for (int c = chunks * p / parts; c < chunks * (p + 1) / parts; c++) {
                        points.squaredDistances(c, centre, 0, acc);
                        float[] near = nearest[c];
                        float before = near[chunkArg[c]];
                        for (int j = 0; j < near.length; j++) {
                            near[j] = Math.min(near[j], acc[j]);
                        }
                        if (near[chunkArg[c]] != before) {
                            int arg = 0;
                            for (int j = 1; j < near.length; j++) {
                                if (near[j] > near[arg]) {
                                    arg = j;
                                }
                            }
                            chunkArg[c] = arg;
                            chunkMax[c] = near[arg];
                        }
                    }
                }
            });
            int best = 0;
            for (int c = 1; c < chunks; c++) {
                if (chunkMax[c] > chunkMax[best]) {
                    best = c;
                }
            }
            chosen[s] = best * ChunkedPoints.CHUNK + chunkArg[best];
        }
        return chosen;
    }
}
