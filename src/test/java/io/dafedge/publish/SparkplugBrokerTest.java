package io.dafedge.publish;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.tahu.message.SparkplugBPayloadDecoder;
import org.eclipse.tahu.message.SparkplugBPayloadEncoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.dafedge.publish.sparkplug.SparkplugNode;
import io.dafedge.publish.sparkplug.SparkplugProducer;

/**
 * Sparkplug B through Debian's mosquitto, every payload decoded by Tahu: births then a DDATA per result in one
 * unbroken sequence, a rebirth on a host's NCMD, the NDEATH will with the births' bdSeq when the appliance's process
 * is killed, and the next bdSeq after its restart.
 */
class SparkplugBrokerTest {
    private static final int RESULTS = 20;
    private static final String ROOT = "spBv1.0/" + SparkplugProducer.GROUP + "/";
    private static final String NODE = "/" + SparkplugProducer.NODE;

    @TempDir
    Path dir;

    private record Received(String topic, SparkplugBPayload payload, int qos) {
        Metric metric(String name) {
            return payload.getMetrics().stream().filter(m -> name.equals(m.getName())).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + name + " in " + topic));
        }

        long bdSeq() {
            return ((Number) metric(SparkplugNode.BD_SEQ).getValue()).longValue();
        }
    }

    @Test
    void birthsDataRebirthAndTheWillOfAKilledAppliance() throws Exception {
        try (Mosquitto broker = Mosquitto.start(dir.resolve("broker"), List.of("allow_anonymous true"))) {
            String url = "tcp://127.0.0.1:" + broker.port();
            BlockingQueue<Received> inbox = new LinkedBlockingQueue<>();
            MqttClient host = new MqttClient(url, "host-app", new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setCleanSession(true);
            host.connect(o);
            host.subscribe("spBv1.0/#", 1, (topic, m) -> inbox.add(new Received(topic,
                    new SparkplugBPayloadDecoder().buildFromByteArray(m.getPayload(), null), m.getQos())));
            try {
                Path data = dir.resolve("data");
                Process appliance = start(data, url);
                Received nbirth = next(inbox, ROOT + "NBIRTH" + NODE);
                assertEquals(0L, nbirth.payload().getSeq());
                long bdSeq = nbirth.bdSeq();
                assertEquals(false, nbirth.metric(SparkplugNode.REBIRTH).getValue());
                assertEquals(1L, next(inbox, ROOT + "DBIRTH" + NODE + "/cam0").payload().getSeq());
                assertEquals(2L, next(inbox, ROOT + "DBIRTH" + NODE + "/cam1").payload().getSeq());

                Set<String> results = new HashSet<>();
                long seq = 2;
                for (int i = 0; i < RESULTS; i++) {
                    Received d = poll(inbox);
                    assertTrue(d.topic().startsWith(ROOT + "DDATA" + NODE + "/cam"), d.topic());
                    seq = (seq + 1) % 256;
                    assertEquals(seq, d.payload().getSeq(), "one unbroken sequence after the births");
                    assertEquals(1, d.qos(), "results are sent with QoS 1");
                    results.add((String) d.metric("Inspection/ResultId").getValue());
                    String verdict = (String) d.metric("Inspection/Verdict").getValue();
                    assertTrue(verdict.equals("OK") || verdict.equals("NOK"), verdict);
                    assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) d.metric("Inspection/HeatMap").getValue());
                }
                assertEquals(RESULTS, results.size(), "every result once");

                host.publish(ROOT + "NCMD" + NODE, rebirth(), 0, false);
                Received again = next(inbox, ROOT + "NBIRTH" + NODE);
                assertEquals(0L, again.payload().getSeq(), "a rebirth starts the sequence again");
                assertEquals(bdSeq, again.bdSeq(), "same connection, same bdSeq");
                assertEquals(1L, next(inbox, ROOT + "DBIRTH" + NODE + "/cam0").payload().getSeq());

                appliance.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                Received death = next(inbox, ROOT + "NDEATH" + NODE);
                assertEquals(bdSeq, death.bdSeq(), "the will names the session it ends");

                Process restarted = start(data, url);
                try {
                    Received reborn = next(inbox, ROOT + "NBIRTH" + NODE);
                    assertEquals((bdSeq + 1) % 256, reborn.bdSeq(), "a restart does not reuse the last bdSeq");
                } finally {
                    restarted.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } finally {
                host.disconnect();
                host.close();
            }
        }
    }

    private Process start(Path data, String url) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager", SparkplugProducer.class.getName(),
                data.toString(), url, Integer.toString(RESULTS))
                .redirectErrorStream(true).redirectOutput(dir.resolve("appliance.log").toFile()).start();
    }

    /** The next message on {@code topic}, skipping others (periodic data, the second DBIRTH of a rebirth). */
    private static Received next(BlockingQueue<Received> inbox, String topic) throws InterruptedException {
        List<String> skipped = new ArrayList<>();
        while (true) {
            Received r = poll(inbox);
            if (r.topic().equals(topic)) {
                return r;
            }
            skipped.add(r.topic());
            assertTrue(skipped.size() < 100, "no " + topic + " among " + skipped);
        }
    }

    private static Received poll(BlockingQueue<Received> inbox) throws InterruptedException {
        Received r = inbox.poll(20, TimeUnit.SECONDS);
        assertNotNull(r, "nothing arrived within 20 s");
        return r;
    }

    private static byte[] rebirth() throws Exception {
        return new SparkplugBPayloadEncoder().getBytes(new SparkplugBPayload.SparkplugBPayloadBuilder()
                .setTimestamp(new Date())
                .addMetric(new Metric.MetricBuilder(SparkplugNode.REBIRTH, MetricDataType.Boolean, true)
                        .createMetric())
                .createPayload(), false);
    }
}
