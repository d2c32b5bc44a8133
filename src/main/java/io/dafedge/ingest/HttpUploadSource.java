package io.dafedge.ingest;

/**
 * {@code http}: frames arrive through the REST upload, which offers them to the camera's queue itself; there is
 * nothing to start or stop, and the camera is always ready to receive.
 */
public final class HttpUploadSource implements FrameSource {
    private final SourceState running = SourceState.of(SourceState.State.RUNNING);

    @Override
    public void start(FrameSink sink) {
    }

    @Override
    public SourceState state() {
        return running;
    }

    @Override
    public void close() {
    }
}
