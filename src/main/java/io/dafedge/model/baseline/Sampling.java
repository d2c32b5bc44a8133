package io.dafedge.model.baseline;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Seeded random subsets, for PaDiM's channel choice and PatchCore's patch pool. */
final class Sampling {
    private Sampling() {
    }

    /** {@code k} distinct integers of {@code [0, n)}, uniformly at random, in random order (partial Fisher-Yates). */
    static int[] subset(int n, int k, SplittableRandom rnd) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        for (int i = 0; i < k; i++) {
            int j = i + rnd.nextInt(n - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return Arrays.copyOf(all, k);
    }
}
