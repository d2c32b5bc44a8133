package io.dafedge.model.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class CoresetTest {
    @Test
    void everyChosenPointWasTheFarthestFromThoseChosenBefore() {
        int n = 600; // more than two chunks, so several parts search in parallel
        int dim = 5;
        int k = 60;
        float[] pts = EmbeddingTest.random(n * dim, 7);
        int[] chosen;
        try (Parallel par = new Parallel(2)) {
            chosen = Coreset.greedy(new ChunkedPoints(pts, n, dim), k, 13, par);
        }
        assertEquals(13, chosen[0]);
        Set<Integer> distinct = new HashSet<>();
        for (int c : chosen) {
            distinct.add(c);
        }
        assertEquals(k, distinct.size(), "no point chosen twice");
        for (int s = 1; s < k; s++) {
            double farthest = -1;
            for (int i = 0; i < n; i++) {
                farthest = Math.max(farthest, nearestChosen(pts, dim, i, chosen, s));
            }
            assertEquals(farthest, nearestChosen(pts, dim, chosen[s], chosen, s), 1e-5 * farthest, "step " + s);
        }
    }

    @Test
    void selectionDoesNotDependOnTheThreadCount() {
        ChunkedPoints pts = new ChunkedPoints(EmbeddingTest.random(900 * 4, 8), 900, 4);
        try (Parallel one = new Parallel(1); Parallel two = new Parallel(2)) {
            assertArrayEquals(Coreset.greedy(pts, 50, 0, one), Coreset.greedy(pts, 50, 0, two));
        }
    }

    @Test
    void randomProjectionPreservesSquaredDistancesOnAverage() {
        int n = 200;
        int dim = 64;
        float[] pts = EmbeddingTest.random(n * dim, 9);
        float[] proj;
        try (Parallel par = new Parallel(2)) {
            proj = Coreset.project(pts, n, dim, 32, 5, par);
        }
        double ratio = 0;
        int pairs = 0;
        for (int i = 0; i < n; i += 2, pairs++) {
            ratio += squared(proj, 32, i, i + 1) / squared(pts, dim, i, i + 1);
        }
        ratio /= pairs;
        assertTrue(Math.abs(ratio - 1) < 0.1, "mean ratio of squared distances " + ratio);
    }

    /** Squared distance from point i to its nearest among the first {@code count} chosen. */
    private static double nearestChosen(float[] pts, int dim, int i, int[] chosen, int count) {
        double best = Double.MAX_VALUE;
        for (int c = 0; c < count; c++) {
            best = Math.min(best, squared(pts, dim, i, chosen[c]));
        }
        return best;
    }

    private static double squared(float[] pts, int dim, int a, int b) {
        double s = 0;
        for (int d = 0; d < dim; d++) {
            double e = pts[a * dim + d] - pts[b * dim + d];
            s += e * e;
        }
        return s;
    }
}
