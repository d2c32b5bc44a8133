package io.dafedge.publish;

import io.dafedge.ingest.Frame;
import io.dafedge.inspect.InspectionResult;
import io.dafedge.inspect.ResultSink;

/** Publishes every result (QoS 1) and, when there is one and they are wanted, its heat map (QoS 1). */
public final class ResultPublisher implements ResultSink {
    private final MqttPublisher mqtt;
    private final Topics topics;
    private final boolean heatmaps;

    public ResultPublisher(MqttPublisher mqtt, Topics topics, boolean heatmaps) {
        this.mqtt = mqtt;
        this.topics = topics;
        this.heatmaps = heatmaps;
    }

    @Override
    public void accept(InspectionResult r, Frame frame) {
        byte[] payload = ResultMessages.bytes(ResultMessages.result(topics.site(), r, frame, System.nanoTime()));
        mqtt.publish(topics.result(r.line(), r.camera()), payload, 1, false);
        if (heatmaps && r.overlayPng() != null) {
            mqtt.publish(topics.heatmap(r.line(), r.camera()), r.overlayPng(), 1, false);
        }
    }
}
