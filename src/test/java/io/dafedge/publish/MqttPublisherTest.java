package io.dafedge.publish;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

class MqttPublisherTest {
    private static final byte[] OFFLINE = "{\"online\":false}".getBytes(StandardCharsets.UTF_8);

    private static MqttClient subscriber(EmbeddedBroker broker, String topic, BlockingQueue<MqttMessage> into)
            throws Exception {
        MqttClient sub = new MqttClient(broker.url(), "test-sub-" + System.nanoTime(), new MemoryPersistence());
        sub.connect();
        sub.subscribe(topic, 1, (t, m) -> into.add(m));
        return sub;
    }

    private static void awaitConnected(MqttPublisher p) throws InterruptedException {
        for (int i = 0; i < 100 && !p.connected(); i++) {
            Thread.sleep(50);
        }
        assertTrue(p.connected(), "publisher connected to the embedded broker");
    }

    @Test
    void largePayloadsReachASubscriberOfTheEmbeddedBroker() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", 0)) {
            BlockingQueue<MqttMessage> got = new LinkedBlockingQueue<>();
            MqttClient sub = subscriber(broker, "daf-edge/s/#", got);
            try (MqttPublisher p = new MqttPublisher(new MqttPublisher.Connection(broker.url(), "pub", null, null),
                    "daf-edge/s/status", OFFLINE)) {
                awaitConnected(p);
                byte[] big = new byte[300_000]; // a heat map is far beyond Moquette's default 8 KB limit
                big[123] = 7;
                assertTrue(p.publish("daf-edge/s/l/c/heatmap", big, 1, false));
                MqttMessage m = got.poll(10, TimeUnit.SECONDS);
                assertArrayEquals(big, m.getPayload());
                assertEquals(1, m.getQos());
                for (int i = 0; i < 50 && p.published() < 1; i++) {
                    Thread.sleep(20);
                }
                assertEquals(1, p.published());
                assertEquals(0, p.failed());
            } finally {
                sub.disconnect();
                sub.close();
            }
        }
    }

    @Test
    void whileTheBrokerIsAwayAMessageIsRefusedNotBufferedAndEveryConnectionIsAnnounced() throws Exception {
        int port = FreePort.find();
        AtomicInteger connected = new AtomicInteger();
        AtomicInteger lost = new AtomicInteger();
        try (MqttPublisher p = new MqttPublisher(new MqttPublisher.Connection("tcp://127.0.0.1:" + port, "late", null,
                null), "daf-edge/s/status", OFFLINE)) {
            p.addConnectionListener(new MqttPublisher.ConnectionListener() {
                @Override
                public void connected() {
                    connected.incrementAndGet();
                }

                @Override
                public void lost() {
                    lost.incrementAndGet();
                }
            });
            Thread.sleep(300);
            assertFalse(p.connected());
            assertFalse(p.publish("daf-edge/s/status", new byte[] {1}, 1, true), "refused while away");
            assertEquals(1, p.failed());
            assertTrue(p.lastError() != null, "the failed connection attempt is reported");
            try (EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", port)) {
                awaitConnected(p);
                assertEquals(1, connected.get(), "the first connection is announced");
            }
            // the broker went away: Paho's automatic reconnect finds the next one on the same port
            for (int i = 0; i < 100 && lost.get() == 0; i++) {
                Thread.sleep(50);
            }
            assertEquals(1, lost.get());
            try (EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", port)) {
                for (int i = 0; i < 200 && connected.get() < 2; i++) {
                    Thread.sleep(50);
                }
                assertEquals(2, connected.get(), "the automatic reconnect is announced too");
                assertEquals(0, p.published(), "nothing refused was sent later");
                p.close();
            }
        }
    }

    @Test
    void theWillMarksTheApplianceOfflineWhenTheConnectionDies() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", 0)) {
            BlockingQueue<MqttMessage> got = new LinkedBlockingQueue<>();
            MqttClient sub = subscriber(broker, "daf-edge/s/status", got);
            MqttClient victim = new MqttClient(broker.url(), "victim", new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setWill("daf-edge/s/status", OFFLINE, 1, true);
            victim.connect(o);
            // the same options our publisher sets; an abrupt close (no DISCONNECT) must fire the will
            victim.disconnectForcibly(0, 0, false);
            MqttMessage m = got.poll(10, TimeUnit.SECONDS);
            assertEquals("{\"online\":false}", new String(m.getPayload(), StandardCharsets.UTF_8));
            sub.disconnect();
            sub.close();
            victim.close();
        }
    }
}
