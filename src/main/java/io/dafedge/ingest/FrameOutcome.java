package io.dafedge.ingest;

/** What became of a frame: inspected, or dropped before inspection (queue overflow, shutdown) or failed. */
@FunctionalInterface
public interface FrameOutcome {
    FrameOutcome NONE = (status, reason) -> { };

    enum Status { INSPECTED, DROPPED, FAILED }

    /** Called once per frame; {@code reason} is null for INSPECTED. Must not throw or block. */
    void done(Status status, String reason);
}
