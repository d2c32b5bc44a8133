package io.dafedge.ingest;

/**
 * What a source has counted since it started, for metrics. Frames skipped by the rate cap are deliberate and are
 * not drops (drops are the queue's).
 *
 * @param delivered        frames handed to the sink
 * @param skippedByRateCap frames that arrived faster than {@link CameraSettings#maxFps()} and were not decoded
 * @param undecodable      frames (or files) that could not be decoded
 * @param reconnects       failed connections or sessions that were retried
 */
public record SourceCounters(long delivered, long skippedByRateCap, long undecodable, long reconnects) {
    public static final SourceCounters NONE = new SourceCounters(0, 0, 0, 0);
}
