package io.dafedge.inspect;

import io.dafedge.ingest.Frame;

/**
 * Where inspection results go (MQTT, the store, metrics, the live view, the collector of good frames). Called on the
 * camera's inspection thread: an implementation hands the result on and returns, it never waits for I/O.
 */
@FunctionalInterface
public interface ResultSink {
    void accept(InspectionResult result, Frame frame);
}
