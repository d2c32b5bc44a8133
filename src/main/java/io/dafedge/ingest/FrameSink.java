package io.dafedge.ingest;

/** Where a source delivers its frames: the camera's bounded queue. Never blocks. */
@FunctionalInterface
public interface FrameSink {
    void offer(Frame frame);
}
