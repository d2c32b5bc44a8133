package io.dafedge.model.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;

import org.junit.jupiter.api.Test;

class ParallelTest {
    @Test
    void everyIndexRunsExactlyOnce() {
        for (int threads : new int[] {1, 2, 3}) {
            try (Parallel par = new Parallel(threads)) {
                for (int n : new int[] {0, 1, 2, 7, 100}) {
                    AtomicIntegerArray seen = new AtomicIntegerArray(n);
                    par.forRanges(n, (from, to) -> {
                        for (int i = from; i < to; i++) {
                            seen.incrementAndGet(i);
                        }
                    });
                    for (int i = 0; i < n; i++) {
                        assertEquals(1, seen.get(i), "threads " + threads + ", n " + n + ", index " + i);
                    }
                }
            }
        }
    }

    @Test
    void aFailureInAnyRangeReachesTheCaller() {
        try (Parallel par = new Parallel(2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> par.forRanges(10, (from, to) -> {
                if (to == 10) {
                    throw new IllegalStateException("last range");
                }
            }));
            assertEquals("last range", e.getMessage());
        }
    }
}
