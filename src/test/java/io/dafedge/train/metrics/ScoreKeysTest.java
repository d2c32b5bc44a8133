package io.dafedge.train.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class ScoreKeysTest {
    @Test
    void keysOrderLikeTheFloatsAcrossSignsAndSpecialValues() {
        float[] ascending = {Float.NEGATIVE_INFINITY, -Float.MAX_VALUE, -1f, -Float.MIN_NORMAL, -Float.MIN_VALUE, 0f,
                Float.MIN_VALUE, Float.MIN_NORMAL, 0.1f, Math.nextUp(0.1f), 1f, Float.MAX_VALUE,
                Float.POSITIVE_INFINITY};
        for (int i = 0; i + 1 < ascending.length; i++) {
            assertTrue(ScoreKeys.of(ascending[i]) < ScoreKeys.of(ascending[i + 1]), ascending[i] + " < " + ascending[i + 1]);
        }
    }

    @Test
    void negativeZeroIsTheSameThresholdAsZero() {
        assertEquals(ScoreKeys.of(0f), ScoreKeys.of(-0f));
    }

    @Test
    void nanIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> ScoreKeys.of(Float.NaN));
    }

    @Test
    void radixSortAgreesWithArraysSort() {
        SplittableRandom random = new SplittableRandom(7);
        for (int n : new int[] {0, 1, 2, 17, 4095, 4096, 300_000}) {
            int[] keys = new int[n + 3];
            for (int i = 0; i < n; i++) {
                keys[i] = i % 5 == 0 ? random.nextInt(-3, 3) : random.nextInt(); // both halves of both digits
            }
            int[] tail = {Integer.MIN_VALUE, Integer.MAX_VALUE, 42};
            System.arraycopy(tail, 0, keys, n, 3);
            int[] expected = Arrays.copyOf(keys, n);
            Arrays.sort(expected);
            ScoreKeys.sort(keys, n, new int[n]);
            assertArrayEquals(expected, Arrays.copyOf(keys, n), "n = " + n);
            assertArrayEquals(tail, Arrays.copyOfRange(keys, n, n + 3), "past length untouched");
        }
    }
}
