package io.dafedge.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

/**
 * Subscriptions through the appliance's connection: made on the first connect even when asked for before it, made
 * again after the broker went away and came back (a clean session forgets them), and a handler that throws does not
 * cost the connection or the next message.
 */
class MqttSubscribeTest {
    private static final byte[] OFFLINE = "{\"online\":false}".getBytes(StandardCharsets.UTF_8);
    private static final String FILTER = "daf-edge/s/+/cmd";

    /** Publishes to {@code topic} every 200 ms until {@code got} has a message; returns its text. */
    private static String publishUntilReceived(String url, String topic, BlockingQueue<String> got, String text)
            throws Exception {
        MqttClient mes = new MqttClient(url, "mes-" + System.nanoTime(), new MemoryPersistence());
        mes.connect();
        try {
            for (int i = 0; i < 150; i++) {
                mes.publish(topic, (text + "-" + i).getBytes(StandardCharsets.UTF_8), 1, false);
                String m = got.poll(200, TimeUnit.MILLISECONDS);
                if (m != null) {
                    return m;
                }
            }
            throw new AssertionError("nothing received on " + topic + " within 30 s");
        } finally {
            mes.disconnect();
            mes.close();
        }
    }

    @Test
    void aSubscriptionAskedForBeforeTheBrokerIsUpSurvivesTheBrokersRestart() throws Exception {
        int port = FreePort.find();
        String url = "tcp://127.0.0.1:" + port;
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        List<String> seen = new CopyOnWriteArrayList<>();
        try (MqttPublisher p = new MqttPublisher(new MqttPublisher.Connection(url, "appliance", null, null),
                "daf-edge/s/status", OFFLINE)) {
            p.subscribe(FILTER, 1, (topic, payload) -> {
                String text = new String(payload, StandardCharsets.UTF_8);
                seen.add(text);
                if (seen.size() == 1) {
                    throw new IllegalStateException("a handler's fault");
                }
                got.add(topic + " " + text);
            });
            try (EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", port)) {
                String first = publishUntilReceived(url, "daf-edge/s/line1/cmd", got, "before");
                int failed = Integer.parseInt(seen.get(0).substring("before-".length()));
                assertEquals("daf-edge/s/line1/cmd before-" + (failed + 1), first, "the message right after the "
                        + "one whose handler threw arrives: the connection was not dropped (a clean session would "
                        + "have lost it)");
                assertTrue(p.connected());
            }
            for (int i = 0; i < 100 && p.connected(); i++) {
                Thread.sleep(50);
            }
            got.clear();
            try (EmbeddedBroker again = EmbeddedBroker.start("127.0.0.1", port)) {
                String after = publishUntilReceived(url, "daf-edge/s/line2/cmd", got, "after");
                assertTrue(after.startsWith("daf-edge/s/line2/cmd after-"), after);
                assertTrue(p.connected());
            }
        }
    }

    @Test
    void aSubscriptionAskedForWhileConnectedStartsAtOnce() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", 0);
             MqttPublisher p = new MqttPublisher(new MqttPublisher.Connection(broker.url(), "appliance", null, null),
                     "daf-edge/s/status", OFFLINE)) {
            for (int i = 0; i < 100 && !p.connected(); i++) {
                Thread.sleep(50);
            }
            assertTrue(p.connected());
            BlockingQueue<String> got = new LinkedBlockingQueue<>();
            p.subscribe(FILTER, 1, (topic, payload) -> got.add(topic));
            assertEquals("daf-edge/s/l/cmd", publishUntilReceived(broker.url(), "daf-edge/s/l/cmd", got, "x"));
        }
    }
}
