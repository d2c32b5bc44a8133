package io.dafedge.ingest;

import java.time.Instant;

/** What a source reports about itself: its state, the last error and when the next reconnect is due. */
public record SourceState(State state, String lastError, Instant since, Instant nextAttempt) {
    public enum State { STARTING, RUNNING, RECONNECTING, STOPPED, FAILED }

    public static SourceState of(State state) {
        return new SourceState(state, null, Instant.now(), null);
    }
}
