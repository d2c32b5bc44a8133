package io.dafedge.ingest;

/**
 * Frames per second at most, on System.nanoTime. A frame may come up to a quarter interval early, so a stream that
 * runs at exactly the cap with a little jitter is not halved; the due time still advances a full interval per frame,
 * so the long-run rate never exceeds the cap. A cap of 0 lets everything through.
 */
final class RateCap {
    private final long intervalNanos;
    private final long slackNanos;
    private long nextDue = Long.MIN_VALUE;

    RateCap(double maxFps) {
        if (!(maxFps >= 0) || Double.isInfinite(maxFps)) {
            throw new IllegalArgumentException("frame rate must be a finite number >= 0, got " + maxFps);
        }
        this.intervalNanos = maxFps == 0 ? 0 : Math.round(1e9 / maxFps);
        this.slackNanos = intervalNanos / 4;
    }

    /** True (and the frame is counted against the cap) when a frame at {@code now} is allowed. */
    boolean tryAcquire(long now) {
        if (intervalNanos == 0) {
            return true;
        }
        if (nextDue != Long.MIN_VALUE && now - nextDue < 0) {
            return false;
        }
        long fromNow = now + intervalNanos - slackNanos;
        nextDue = nextDue == Long.MIN_VALUE || fromNow - (nextDue + intervalNanos) > 0 ? fromNow : nextDue + intervalNanos;
        return true;
    }

    /** How long a source that paces itself waits from {@code now} before its next frame is allowed. */
    long waitNanos(long now) {
        if (intervalNanos == 0 || nextDue == Long.MIN_VALUE) {
            return 0;
        }
        return Math.max(0, nextDue - now);
    }
}
