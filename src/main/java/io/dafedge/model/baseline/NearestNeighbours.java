package io.dafedge.model.baseline;

import java.util.Arrays;

/** Exact nearest-neighbour distances from queries to a fixed set of points (PatchCore's memory bank), brute force. */
final class NearestNeighbours {
    /** Queries per block: each chunk of the bank is read from cache once per block rather than once per query. */
    private static final int BLOCK = 32;

    private final ChunkedPoints bank;

    NearestNeighbours(ChunkedPoints bank) {
        this.bank = bank;
    }

    int dim() {
        return bank.dim();
    }

    /** Euclidean distance from each of the {@code n} row-major queries to its nearest point. */
    float[] distances(float[] queries, int n, Parallel par) {
        int dim = bank.dim();
        float[] out = new float[n];
        int blocks = (n + BLOCK - 1) / BLOCK;
        par.forRanges(blocks, (from, to) -> {
            float[] acc = new float[ChunkedPoints.CHUNK];
            for (int b = from; b < to; b++) {
                int q0 = b * BLOCK;
                int q1 = Math.min(n, q0 + BLOCK);
                Arrays.fill(out, q0, q1, Float.POSITIVE_INFINITY);
                for (int c = 0; c < bank.chunks(); c++) {
                    int len = bank.chunkLength(c);
                    for (int q = q0; q < q1; q++) {
                        bank.squaredDistances(c, queries, q * dim, acc);
                        float best = out[q];
                        for (int j = 0; j < len; j++) {
                            best = Math.min(best, acc[j]);
                        }
                        out[q] = best;
                    }
                }
                for (int q = q0; q < q1; q++) {
                    out[q] = (float) Math.sqrt(out[q]);
                }
            }
        });
        return out;
    }
}
