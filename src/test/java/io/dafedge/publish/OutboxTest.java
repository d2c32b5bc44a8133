package io.dafedge.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.dafedge.inspect.Verdict;

/** The outbox with Paho and the embedded broker: what waits on disk goes out in order after a restart. */
class OutboxTest {
    private static final byte[] OFFLINE = "{\"online\":false}".getBytes(StandardCharsets.UTF_8);
    private static final Topics TOPICS = new Topics("s");

    @TempDir
    Path dir;

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        for (int i = 0; i < 400 && !done.getAsBoolean(); i++) {
            Thread.sleep(25);
        }
        assertTrue(done.getAsBoolean(), what);
    }

    private static OutboxEntry entry(int i) {
        String camera = "c" + (i % 2);
        String json = "{\"resultId\":\"r" + i + "\",\"camera\":\"" + camera + "\"}";
        return new OutboxEntry(camera, "l", i % 3 == 0 ? Verdict.NOK : Verdict.OK, "r" + i,
                json.getBytes(StandardCharsets.UTF_8), i % 2 == 0 ? ("png-" + i).getBytes(StandardCharsets.UTF_8)
                        : null);
    }

    private long files() throws Exception {
        try (Stream<Path> f = Files.list(dir)) {
            return f.count();
        }
    }

    @Test
    void whatWaitedOnDiskIsDeliveredInOrderAfterARestartAndDeletedOnceAcknowledged() throws Exception {
        int port = FreePort.find();
        String url = "tcp://127.0.0.1:" + port;
        // no broker yet: the entries can only be written
        try (MqttPublisher away = new MqttPublisher(new MqttPublisher.Connection(url, "pub", null, null),
                TOPICS.status(), OFFLINE)) {
            Outbox outbox = new Outbox(dir, 1 << 20, away, MessageEncoding.json(TOPICS));
            for (int i = 0; i < 40; i++) {
                outbox.offer(entry(i));
            }
            await("all written", () -> outbox.written() == 40);
            outbox.close();
            assertEquals(40, outbox.pending());
            outbox.offer(entry(40));
            assertEquals(1, outbox.dropped(Outbox.Drop.QUEUE_FULL, Verdict.OK), "a closed outbox takes nothing");
            assertEquals(Map.of("queue-full", Map.of("OK", 1L)), outbox.droppedSummary());
        }
        assertEquals(40 + 20, files(), "an entry file each, and the heat maps");

        List<String> arrived = new ArrayList<>();
        try (EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", port)) {
            MqttClient sub = new MqttClient(url, "sub", new MemoryPersistence());
            sub.connect();
            sub.subscribe("daf-edge/s/#", 1, (topic, m) -> {
                synchronized (arrived) {
                    arrived.add(topic.substring("daf-edge/s/l/".length()) + " "
                            + new String(m.getPayload(), StandardCharsets.UTF_8));
                }
            });
            try (MqttPublisher mqtt = new MqttPublisher(new MqttPublisher.Connection(url, "pub", null, null),
                    TOPICS.status(), OFFLINE)) {
                Outbox outbox = new Outbox(dir, 1 << 20, mqtt, MessageEncoding.json(TOPICS));
                assertEquals(40, outbox.pending(), "reloaded");
                await("all acknowledged", () -> outbox.pending() == 0);
                assertEquals(40, outbox.delivered());
                assertEquals(0, outbox.bytes());
                assertEquals(0, files(), "acknowledged entries are deleted");
                await("all received", () -> {
                    synchronized (arrived) {
                        return new LinkedHashSet<>(arrived).size() == 60;
                    }
                });
                outbox.close();
            } finally {
                sub.disconnect();
                sub.close();
            }
        }
        for (String camera : List.of("c0", "c1")) {
            List<String> results = new ArrayList<>();
            List<String> expected = new ArrayList<>();
            for (int i = camera.equals("c0") ? 0 : 1; i < 40; i += 2) {
                expected.add(camera + "/result {\"resultId\":\"r" + i + "\",\"camera\":\"" + camera + "\"}");
                if (i % 2 == 0) {
                    expected.add(camera + "/heatmap png-" + i);
                }
            }
            synchronized (arrived) {
                new LinkedHashSet<>(arrived).stream().filter(a -> a.startsWith(camera + "/")).forEach(results::add);
            }
            assertEquals(expected, results, "each camera's results (and heat maps) in order, repeats dropped");
        }
    }

    @Test
    void resultsInFlightWhenTheConnectionDiesAreSentAgainFromTheOldestUnacknowledged() throws Exception {
        List<String> arrived = new ArrayList<>();
        try (EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", 0);
                CuttableProxy path = new CuttableProxy(broker.port())) {
            MqttClient sub = new MqttClient(broker.url(), "sub", new MemoryPersistence());
            sub.connect();
            sub.subscribe("daf-edge/s/+/+/result", 1, (topic, m) -> {
                synchronized (arrived) {
                    arrived.add(new String(m.getPayload(), StandardCharsets.UTF_8));
                }
            });
            try (MqttPublisher mqtt = new MqttPublisher(new MqttPublisher.Connection(path.url(), "pub", null, null),
                    TOPICS.status(), OFFLINE)) {
                Outbox outbox = new Outbox(dir, 1 << 20, mqtt, MessageEncoding.json(TOPICS));
                for (int i = 0; i < 100; i++) {
                    outbox.offer(entry(i));
                }
                await("the first results acknowledged", () -> outbox.delivered() == 100);
                // the path goes dead: what is published now reaches no broker, and no acknowledgement comes back
                path.swallow();
                for (int i = 100; i < 200; i++) {
                    outbox.offer(entry(i));
                }
                await("a full window in flight", () -> outbox.written() == 200);
                Thread.sleep(300);
                assertEquals(100, outbox.pending(), "nothing acknowledged through the dead path");
                path.cut();
                await("all acknowledged after the reconnect", () -> outbox.pending() == 0);
                outbox.close();
            } finally {
                await("all received", () -> {
                    synchronized (arrived) {
                        return new LinkedHashSet<>(arrived).size() == 200;
                    }
                });
                sub.disconnect();
                sub.close();
            }
        }
        for (String camera : List.of("c0", "c1")) {
            List<String> expected = new ArrayList<>();
            for (int i = camera.equals("c0") ? 0 : 1; i < 200; i += 2) {
                expected.add("{\"resultId\":\"r" + i + "\",\"camera\":\"" + camera + "\"}");
            }
            List<String> results;
            synchronized (arrived) {
                results = new LinkedHashSet<>(arrived).stream().filter(a -> a.contains("\"" + camera + "\""))
                        .toList();
            }
            assertEquals(expected, results, "each camera's results in order, repeats dropped, none missing");
        }
    }
}
