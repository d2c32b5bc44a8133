package io.dafedge.publish;

import static io.dafedge.api.TestUsers.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.tahu.message.SparkplugBPayloadDecoder;
import org.eclipse.tahu.message.SparkplugBPayloadEncoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.junit.jupiter.api.Test;

import io.dafedge.publish.sparkplug.SparkplugNode;
import io.dafedge.synth.ImageFiles;
import io.dafedge.synth.demo.DemoLine;
import io.dafedge.synth.demo.DemoProduct;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;

/**
 * {@code daf.mqtt.payload=sparkplug} in the running appliance, against mosquitto: a host's rebirth request is
 * answered with the births of the configured camera, and an uploaded frame arrives as that camera's DDATA with the
 * result id of the upload's answer (UNKNOWN: the line has no model).
 */
@QuarkusTest
@QuarkusTestResource(value = SparkplugConfigTest.Broker.class, restrictToAnnotatedClass = true)
class SparkplugConfigTest {
    private static final String PREFIX = "spBv1.0/plant/";

    public static class Broker implements QuarkusTestResourceLifecycleManager {
        private Mosquitto broker;

        @Override
        public Map<String, String> start() {
            try {
                Path dir = Path.of("target", "sparkplug-config-" + System.nanoTime()).toAbsolutePath();
                broker = Mosquitto.start(dir, List.of("allow_anonymous true"));
                return Map.of("daf.data-dir", dir.resolve("data").toString(),
                        "daf.cameras.cam7.source", "http", "daf.cameras.cam7.line", "line7",
                        "daf.mqtt.broker", "tcp://127.0.0.1:" + broker.port(),
                        "daf.mqtt.payload", "sparkplug", "daf.mqtt.sparkplug.group", "plant",
                        "daf.mqtt.sparkplug.node", "box", "test.mqtt-port", Integer.toString(broker.port()));
            } catch (Exception e) {
                stop();
                throw new IllegalStateException("could not start mosquitto: " + e.getMessage(), e);
            }
        }

        @Override
        public void stop() {
            if (broker != null) {
                broker.close();
            }
        }
    }

    private record Received(String topic, SparkplugBPayload payload) {
        Object value(String name) {
            return payload.getMetrics().stream().filter(m -> name.equals(m.getName())).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + name + " in " + topic)).getValue();
        }
    }

    @Test
    void theConfiguredCameraIsBornOnRequestAndItsResultsAreDdata() throws Exception {
        int port = ConfigProvider.getConfig().getValue("test.mqtt-port", Integer.class);
        BlockingQueue<Received> inbox = new LinkedBlockingQueue<>();
        MqttClient host = new MqttClient("tcp://127.0.0.1:" + port, "host-app", new MemoryPersistence());
        host.connect();
        try {
            host.subscribe(PREFIX + "#", 1, (topic, m) -> inbox.add(new Received(topic,
                    new SparkplugBPayloadDecoder().buildFromByteArray(m.getPayload(), null))));
            // the first births went out at start-up, before this subscription: ask for them again
            host.publish(PREFIX + "NCMD/box", new SparkplugBPayloadEncoder().getBytes(
                    new SparkplugBPayload.SparkplugBPayloadBuilder().setTimestamp(new Date())
                            .addMetric(new Metric.MetricBuilder(SparkplugNode.REBIRTH, MetricDataType.Boolean, true)
                                    .createMetric()).createPayload(), false), 1, false);
            Received nbirth = next(inbox, PREFIX + "NBIRTH/box");
            assertEquals(0L, nbirth.payload().getSeq());
            Received dbirth = next(inbox, PREFIX + "DBIRTH/box/cam7");
            assertEquals("line7", dbirth.value("Line"));

            byte[] png = ImageFiles.encodePng(new DemoLine(DemoProduct.FLANGE, 64, 64).good(7));
            String id = asAdmin().contentType("image/png").body(png).when().post("/api/v1/cameras/cam7/frames")
                    .then().statusCode(202).extract().path("resultId");
            Received ddata = next(inbox, PREFIX + "DDATA/box/cam7");
            while (!id.equals(ddata.value("Inspection/ResultId"))) { // periodic counters come on the same topic
                ddata = next(inbox, PREFIX + "DDATA/box/cam7");
            }
            assertEquals("UNKNOWN", ddata.value("Inspection/Verdict"));
        } finally {
            host.disconnect();
            host.close();
        }
    }

    private static Received next(BlockingQueue<Received> inbox, String topic) throws InterruptedException {
        List<String> skipped = new ArrayList<>();
        while (true) {
            Received r = inbox.poll(20, TimeUnit.SECONDS);
            assertNotNull(r, "no " + topic + " within 20 s; skipped " + skipped);
            if (r.topic().equals(topic)) {
                return r;
            }
            skipped.add(r.topic());
            assertTrue(skipped.size() < 100, "no " + topic + " among " + skipped);
        }
    }
}
