package io.dafedge.model.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NearestNeighboursTest {
    @Test
    void distancesEqualABruteForceSearch() {
        int dim = 7;
        int m = 2 * ChunkedPoints.CHUNK + 37; // two full chunks and a partial one
        int n = 75;
        float[] bank = EmbeddingTest.random(m * dim, 1);
        float[] queries = EmbeddingTest.random(n * dim, 2);
        System.arraycopy(bank, 300 * dim, queries, 5 * dim, dim); // a query that is a bank point: distance 0
        float[] fast;
        float[] single;
        NearestNeighbours nn = new NearestNeighbours(new ChunkedPoints(bank, m, dim));
        try (Parallel two = new Parallel(2); Parallel one = new Parallel(1)) {
            fast = nn.distances(queries, n, two);
            single = nn.distances(queries, n, one);
        }
        assertArrayEquals(single, fast, "independent of the thread count");
        for (int q = 0; q < n; q++) {
            double best = Double.MAX_VALUE;
            for (int b = 0; b < m; b++) {
                double s = 0;
                for (int d = 0; d < dim; d++) {
                    double e = queries[q * dim + d] - bank[b * dim + d];
                    s += e * e;
                }
                best = Math.min(best, s);
            }
            assertEquals(Math.sqrt(best), fast[q], 1e-5, "query " + q);
        }
        assertEquals(0f, fast[5]);
    }

    @Test
    void chunkedPointsGiveBackTheirRows() {
        float[] rows = EmbeddingTest.random(300 * 3, 3);
        ChunkedPoints p = new ChunkedPoints(rows, 300, 3);
        assertEquals(2, p.chunks());
        assertEquals(300 - ChunkedPoints.CHUNK, p.chunkLength(1));
        assertArrayEquals(new float[] {rows[297 * 3], rows[297 * 3 + 1], rows[297 * 3 + 2]}, p.point(297));
    }
}
