package io.dafedge.ingest;

/**
 * A camera's frames: started once with the sink its frames go to, stopped once. Sources that read a device or a
 * stream run their own thread and reconnect with backoff when it fails; {@link #state()} tells how they are doing.
 * The HTTP upload "source" has no thread: the REST resource offers frames directly.
 */
public interface FrameSource extends AutoCloseable {
    void start(FrameSink sink);

    SourceState state();

    /** What the source has counted; a source without a thread of its own counts nothing. */
    default SourceCounters counters() {
        return SourceCounters.NONE;
    }

    @Override
    void close();
}
