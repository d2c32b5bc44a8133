package io.dafedge.publish;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.function.ToDoubleFunction;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dafedge.inspect.Appliance;

/** The retained status payload on {@code daf-edge/<site>/status}. */
public final class StatusMessages {
    private StatusMessages() {
    }

    /** {@code rates} gives frames per second inspected per camera since the last status. */
    public static ObjectNode online(String site, Instant startedAt, Instant now, Collection<Appliance.Camera> cameras,
            ToDoubleFunction<String> rates, MqttPublisher mqtt, Outbox outbox) {
        ObjectNode o = ResultMessages.object();
        o.put("site", site);
        o.put("online", true);
        o.put("at", now.toString());
        o.put("startedAt", startedAt.toString());
        o.put("uptimeSeconds", Duration.between(startedAt, now).toSeconds());
        o.put("mqttFailed", mqtt.failed());
        ObjectNode box = o.putObject("outbox");
        box.put("pending", outbox.pending());
        box.put("bytes", outbox.bytes());
        box.put("quotaBytes", outbox.quotaBytes());
        box.put("delivered", outbox.delivered());
        ObjectNode dropped = box.putObject("dropped");
        outbox.droppedSummary().forEach((reason, byVerdict) -> {
            ObjectNode r = dropped.putObject(reason);
            byVerdict.forEach(r::put);
        });
        var list = o.putArray("cameras");
        for (Appliance.Camera c : cameras) {
            ObjectNode n = list.addObject();
            n.put("camera", c.settings().id());
            n.put("line", c.settings().line());
            n.put("source", c.source().state().state().name());
            n.put("framesPerSecond", Math.round(rates.applyAsDouble(c.settings().id()) * 100) / 100.0);
            n.put("received", c.queue().offered());
            n.put("dropped", c.queue().dropped());
            n.put("queueDepth", c.queue().depth());
            n.put("inspected", c.worker().inspected());
            n.put("failed", c.worker().failed());
            n.put("nok", c.worker().nok());
        }
        return o;
    }

    /** What the will (and a clean shutdown) leaves on the status topic. */
    public static ObjectNode offline(String site) {
        ObjectNode o = ResultMessages.object();
        o.put("site", site);
        o.put("online", false);
        return o;
    }
}
