package io.dafedge.train.metrics;

import java.util.Arrays;

/**
 * Scores as ints that order like the floats, so that scores sort and compare as primitives: no boxing, and a radix
 * sort instead of a comparison sort.
 */
final class ScoreKeys {
    private static final int DIGIT = 16;
    private static final int BUCKETS = 1 << DIGIT;
    private static final int DIGIT_MASK = BUCKETS - 1;
    /** Below this, clearing and summing the radix histograms costs more than a comparison sort. */
    private static final int RADIX_MIN = 1 << 12;

    private ScoreKeys() {
    }

    /**
     * The key of a score: a &lt; b as floats exactly when key(a) &lt; key(b) as ints. -0.0 and 0.0 get one key, since
     * they are the same threshold.
     *
     * @throws IllegalArgumentException if the score is NaN, which has no place in a ranking
     */
    static int of(float score) {
        if (Float.isNaN(score)) {
            throw new IllegalArgumentException("anomaly score is NaN");
        }
        int bits = Float.floatToRawIntBits(score + 0.0f); // -0.0 + 0.0 is +0.0
        // Negative floats grow in magnitude as their bits grow: flipping all but the sign bit reverses that.
        return bits ^ ((bits >> 31) & Integer.MAX_VALUE);
    }

    /**
     * Sorts {@code keys[0, length)} ascending: two 16-bit LSD radix passes through {@code scratch}, which must hold
     * {@code length} ints. Several times faster than {@code Arrays.sort} on tens of millions of keys.
     */
    static void sort(int[] keys, int length, int[] scratch) {
        if (length < RADIX_MIN) {
            Arrays.sort(keys, 0, length);
            return;
        }
        int[] low = new int[BUCKETS + 1];
        int[] high = new int[BUCKETS + 1];
        for (int i = 0; i < length; i++) {
            low[(keys[i] & DIGIT_MASK) + 1]++;
            high[highDigit(keys[i]) + 1]++;
        }
        for (int d = 0; d < BUCKETS; d++) {
            low[d + 1] += low[d];
            high[d + 1] += high[d];
        }
        for (int i = 0; i < length; i++) {
            scratch[low[keys[i] & DIGIT_MASK]++] = keys[i];
        }
        for (int i = 0; i < length; i++) {
            keys[high[highDigit(scratch[i])]++] = scratch[i];
        }
    }

    /** The upper 16 bits with the sign bit flipped, so that negative keys come first. */
    private static int highDigit(int key) {
        return (key >>> DIGIT) ^ (BUCKETS >>> 1);
    }
}
