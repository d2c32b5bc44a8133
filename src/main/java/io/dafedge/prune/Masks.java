package io.dafedge.prune;

import java.util.Arrays;

/**
 * Pruning masks for convolution weights in OIHW order (out channels, in channels per group, kernel rows, columns):
 * 1 keeps a weight, 0 removes it. Plain Java on the weights' values, so the choice is testable without an engine.
 */
public final class Masks {
    /**
     * The 3x3 patterns a kernel may keep, as kernel positions (row * 3 + column). Each keeps the centre and three
     * of its neighbours, as PatDNN's patterns do: the centre plus three edge neighbours (four "T" shapes), or the
     * centre, two adjacent edge neighbours and the corner between them (four "L" blocks).
     */
    static final int[][] PATTERNS = {
            {1, 3, 4, 5}, {1, 3, 4, 7}, {1, 4, 5, 7}, {3, 4, 5, 7},
            {0, 1, 3, 4}, {1, 2, 4, 5}, {3, 4, 6, 7}, {4, 5, 7, 8}};
    static final int PATTERN_SIZE = 4;

    private Masks() {
    }

    private static void checkShape(float[] w, int[] shape) {
        if (shape.length != 4 || (long) shape[0] * shape[1] * shape[2] * shape[3] != w.length) {
            throw new IllegalArgumentException("weights of " + w.length + " values do not have the OIHW shape "
                    + Arrays.toString(shape));
        }
    }

    /**
     * Block-punched pruning: the filters and input channels are cut into blocks of {@code blockFilters x
     * blockChannels} (smaller at the edges), and within a block a kernel position is kept or removed for all its
     * weights together, so a compiled kernel can skip it for the whole block. The {@code rate} fraction of all
     * (block, position) groups with the smallest mean square weight is removed; a 1x1 kernel has one position,
     * so its blocks go whole.
     */
    public static float[] blockPunched(float[] w, int[] shape, int blockFilters, int blockChannels, double rate) {
        checkShape(w, shape);
        if (blockFilters < 1 || blockChannels < 1 || !(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException("blocks must be at least 1x1 and the rate in [0, 1]");
        }
        int o = shape[0];
        int in = shape[1];
        int positions = shape[2] * shape[3];
        int blocksO = (o + blockFilters - 1) / blockFilters;
        int blocksI = (in + blockChannels - 1) / blockChannels;
        int groups = blocksO * blocksI * positions;
        double[] energy = new double[groups];
        for (int f = 0; f < o; f++) {
            for (int c = 0; c < in; c++) {
                int block = (f / blockFilters) * blocksI + c / blockChannels;
                for (int p = 0; p < positions; p++) {
                    double v = w[(f * in + c) * positions + p];
                    energy[block * positions + p] += v * v;
                }
            }
        }
        for (int g = 0; g < groups; g++) {
            int block = g / positions;
            int bo = Math.min(blockFilters, o - (block / blocksI) * blockFilters);
            int bi = Math.min(blockChannels, in - (block % blocksI) * blockChannels);
            energy[g] /= bo * bi;
        }
        boolean[] removed = smallest(energy, (int) Math.round(rate * groups));
        float[] mask = new float[w.length];
        for (int f = 0; f < o; f++) {
            for (int c = 0; c < in; c++) {
                int block = (f / blockFilters) * blocksI + c / blockChannels;
                for (int p = 0; p < positions; p++) {
                    mask[(f * in + c) * positions + p] = removed[block * positions + p] ? 0f : 1f;
                }
            }
        }
        return mask;
    }

    /**
     * Pattern pruning of 3x3 kernels: the filters are cut into blocks of {@code blockFilters} (smaller at the end),
     * and for each block and input channel the kernels keep the pattern of {@link #PATTERNS} that holds most of
     * their squared weight, together; then connectivity pruning removes the {@code connectivity} fraction of those
     * (block, input channel) kernel groups with the least squared weight left. With {@code blockFilters} 1 every
     * kernel has its own pattern, as in PatDNN; with the compiled kernels' tile width the removed taps are whole
     * weight rows the kernel skips.
     */
    public static float[] pattern(float[] w, int[] shape, int blockFilters, double connectivity) {
        checkShape(w, shape);
        if (shape[2] != 3 || shape[3] != 3) {
            throw new IllegalArgumentException("pattern pruning needs 3x3 kernels, not " + shape[2] + "x" + shape[3]);
        }
        if (blockFilters < 1 || !(connectivity >= 0 && connectivity <= 1)) {
            throw new IllegalArgumentException("blocks must hold at least one filter and the connectivity rate be "
                    + "in [0, 1]");
        }
        int o = shape[0];
        int in = shape[1];
        int blocksO = (o + blockFilters - 1) / blockFilters;
        int groups = blocksO * in;
        float[] mask = new float[w.length];
        double[] kept = new double[groups];
        for (int g = 0; g < groups; g++) {
            int f0 = (g / in) * blockFilters;
            int f1 = Math.min(o, f0 + blockFilters);
            int c = g % in;
            int best = 0;
            double bestEnergy = -1;
            for (int p = 0; p < PATTERNS.length; p++) {
                double e = 0;
                for (int f = f0; f < f1; f++) {
                    int base = (f * in + c) * 9;
                    for (int pos : PATTERNS[p]) {
                        e += (double) w[base + pos] * w[base + pos];
                    }
                }
                if (e > bestEnergy) {
                    bestEnergy = e;
                    best = p;
                }
            }
            for (int f = f0; f < f1; f++) {
                for (int pos : PATTERNS[best]) {
                    mask[(f * in + c) * 9 + pos] = 1f;
                }
            }
            kept[g] = bestEnergy / (f1 - f0);
        }
        boolean[] removed = smallest(kept, (int) Math.round(connectivity * groups));
        for (int g = 0; g < groups; g++) {
            if (removed[g]) {
                int c = g % in;
                for (int f = (g / in) * blockFilters; f < Math.min(o, (g / in + 1) * blockFilters); f++) {
                    Arrays.fill(mask, (f * in + c) * 9, (f * in + c) * 9 + 9, 0f);
                }
            }
        }
        return mask;
    }

    /** Marks the {@code n} smallest values; ties go by position, so the choice is deterministic. */
    static boolean[] smallest(double[] values, int n) {
        Integer[] order = new Integer[values.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int c = Double.compare(values[a], values[b]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        boolean[] marked = new boolean[values.length];
        for (int i = 0; i < n; i++) {
            marked[order[i]] = true;
        }
        return marked;
    }

    /** The fraction of zeros in a mask. */
    public static double sparsity(float[] mask) {
        long zeros = 0;
        for (float m : mask) {
            if (m == 0f) {
                zeros++;
            }
        }
        return mask.length == 0 ? 0 : (double) zeros / mask.length;
    }
}
