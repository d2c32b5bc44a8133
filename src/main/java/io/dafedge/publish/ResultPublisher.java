package io.dafedge.publish;

import io.dafedge.ingest.Frame;
import io.dafedge.inspect.InspectionResult;
import io.dafedge.inspect.ResultSink;

/**
 * Hands every result (with its heat map, when there is one and they are wanted) to the outbox, which writes it to
 * disk and publishes it; returns at once.
 */
public final class ResultPublisher implements ResultSink {
    private final Outbox outbox;
    private final String site;
    private final boolean heatmaps;

    public ResultPublisher(Outbox outbox, String site, boolean heatmaps) {
        this.outbox = outbox;
        this.site = site;
        this.heatmaps = heatmaps;
    }

    @Override
    public void accept(InspectionResult r, Frame frame) {
        byte[] payload = ResultMessages.bytes(ResultMessages.result(site, r, frame, System.nanoTime()));
        outbox.offer(new OutboxEntry(r.camera(), r.line(), r.verdict(), r.resultId().toString(), payload,
                heatmaps ? r.overlayPng() : null));
    }
}
