package io.dafedge.publish;

import java.util.List;

/**
 * How an outbox entry becomes MQTT messages. Called on the outbox's sending thread each time the entry is sent (a
 * redelivery after a reconnect encodes it again), in sending order and only while connected, so an encoding may
 * number messages per connection (as Sparkplug B does).
 */
@FunctionalInterface
public interface MessageEncoding {
    /** The messages of one entry, in the order they are published; the entry is done when all are acknowledged. */
    List<Message> messages(OutboxEntry entry);

    /**
     * Messages that open every connection, published before any entry of it (Sparkplug's births); none for JSON.
     * Called on the thread that announces the connection, with the sending paused.
     */
    default List<Message> sessionStart() {
        return List.of();
    }

    /** One MQTT message. */
    record Message(String topic, byte[] payload, int qos, boolean retained) {
    }

    /** daf-edge's own JSON: the result on {@code .../result}, then its heat map (if any) on {@code .../heatmap}. */
    static MessageEncoding json(Topics topics) {
        return e -> e.heatmapPng() == null
                ? List.of(new Message(topics.result(e.line(), e.camera()), e.resultJson(), 1, false))
                : List.of(new Message(topics.result(e.line(), e.camera()), e.resultJson(), 1, false),
                        new Message(topics.heatmap(e.line(), e.camera()), e.heatmapPng(), 1, false));
    }
}
