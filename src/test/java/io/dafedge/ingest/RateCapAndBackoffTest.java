package io.dafedge.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class RateCapAndBackoffTest {
    private static final long MS = 1_000_000;

    @Test
    void capHoldsTheLongRunRateOfAFasterStream() {
        RateCap cap = new RateCap(5);
        int passed = 0;
        for (long t = 0; t < 10_000; t += 33) { // 30 fps for 10 s
            if (cap.tryAcquire(t * MS)) {
                passed++;
            }
        }
        assertTrue(passed >= 48 && passed <= 51, "passed " + passed + " of 10 s at a cap of 5 fps");
    }

    @Test
    void aJitteryStreamAtTheCapIsNotHalved() {
        RateCap cap = new RateCap(10);
        int passed = 0;
        for (int i = 0; i < 100; i++) {
            long t = i * 100L + (i % 2 == 0 ? -5 : 5); // 10 fps, 5 ms early or late
            if (cap.tryAcquire(t * MS)) {
                passed++;
            }
        }
        assertEquals(100, passed);
    }

    @Test
    void noCapLetsEverythingThroughAndPacingWaitsForTheNextSlot() {
        RateCap none = new RateCap(0);
        for (int i = 0; i < 5; i++) {
            assertTrue(none.tryAcquire(0));
        }
        RateCap cap = new RateCap(2);
        assertEquals(0, cap.waitNanos(0));
        assertTrue(cap.tryAcquire(0));
        assertFalse(cap.tryAcquire(100 * MS));
        assertTrue(cap.waitNanos(100 * MS) > 0);
        long wait = cap.waitNanos(0);
        assertTrue(cap.tryAcquire(wait));
        assertThrows(IllegalArgumentException.class, () -> new RateCap(-1));
    }

    @Test
    void backoffDoublesToItsCeilingAndResets() {
        Backoff b = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(3));
        assertEquals(Duration.ofMillis(500), b.next());
        assertEquals(Duration.ofMillis(1000), b.next());
        assertEquals(Duration.ofMillis(2000), b.next());
        assertEquals(Duration.ofMillis(3000), b.next());
        assertEquals(Duration.ofMillis(3000), b.next());
        b.reset();
        assertEquals(Duration.ofMillis(500), b.next());
        assertEquals(Duration.ofMillis(500), Backoff.DEFAULT.fresh().next());
    }
}
