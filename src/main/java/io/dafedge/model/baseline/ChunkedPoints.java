package io.dafedge.model.baseline;

import java.util.Arrays;

/**
 * A set of points stored in chunks of {@link #CHUNK}, each chunk column by column (one array per dimension). The
 * distance loop then runs over arrays indexed from 0, which C2 on JDK 17 vectorises; the same loop over offsets into
 * one flat array is not vectorised (its alignment analysis gives up) and measured 4 to 5 times slower.
 */
final class ChunkedPoints {
    /** Points per chunk: 256 x 128 dims = 128 KB, which stays in L2 while a block of queries runs over it. */
    static final int CHUNK = 256;

    private final int count;
    private final int dim;
    /** {@code columns[chunk * dim + d][j]} is dimension d of point {@code chunk * CHUNK + j}. */
    private final float[][] columns;

    /** From {@code count} row-major points of {@code dim} floats. */
    ChunkedPoints(float[] rows, int count, int dim) {
        if (rows.length < (long) count * dim) {
            throw new IllegalArgumentException(rows.length + " floats do not hold " + count + " points of " + dim);
        }
        this.count = count;
        this.dim = dim;
        int chunks = (count + CHUNK - 1) / CHUNK;
        columns = new float[chunks * dim][];
        for (int c = 0; c < chunks; c++) {
            int len = chunkLength(c);
            for (int d = 0; d < dim; d++) {
                float[] col = new float[len];
                for (int j = 0; j < len; j++) {
                    col[j] = rows[(c * CHUNK + j) * dim + d];
                }
                columns[c * dim + d] = col;
            }
        }
    }

    int dim() {
        return dim;
    }

    int chunks() {
        return columns.length / Math.max(1, dim);
    }

    int chunkLength(int chunk) {
        return Math.min(CHUNK, count - chunk * CHUNK);
    }

    /** Point {@code i} as a new array. */
    float[] point(int i) {
        float[] p = new float[dim];
        int c = i / CHUNK;
        int j = i % CHUNK;
        for (int d = 0; d < dim; d++) {
            p[d] = columns[c * dim + d][j];
        }
        return p;
    }

    /**
     * Squared Euclidean distances from the query ({@code dim} floats of {@code query} from {@code offset}) to every
     * point of {@code chunk}, into {@code out[0 .. chunkLength(chunk))}. Differences, not the expansion
     * {@code |q|^2 + |p|^2 - 2 q.p}, so small distances keep their precision.
     */
    void squaredDistances(int chunk, float[] query, int offset, float[] out) {
        int len = chunkLength(chunk);
        Arrays.fill(out, 0, len, 0f);
        int base = chunk * dim;
        for (int d = 0; d < dim; d++) {
            float v = query[offset + d];
            float[] col = columns[base + d];
            for (int j = 0; j < len; j++) {
                float e = col[j] - v;
                out[j] += e * e;
            }
        }
    }
}
