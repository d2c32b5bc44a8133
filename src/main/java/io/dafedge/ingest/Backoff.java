package io.dafedge.ingest;

import java.time.Duration;

/** Reconnect delays: {@code initial}, doubling up to {@code max}, back to {@code initial} after a success. */
final class Backoff {
    static final Backoff DEFAULT = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));

    private final Duration initial;
    private final Duration max;
    private Duration next;

    Backoff(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initial + ", " + max);
        }
        this.initial = initial;
        this.max = max;
        this.next = initial;
    }

    /** A fresh backoff with the same bounds (each source keeps its own progression). */
    Backoff fresh() {
        return new Backoff(initial, max);
    }

    /** The delay before the next attempt; doubles the one after it. */
    Duration next() {
        Duration delay = next;
        next = delay.multipliedBy(2).compareTo(max) > 0 ? max : delay.multipliedBy(2);
        return delay;
    }

    void reset() {
        next = initial;
    }
}
