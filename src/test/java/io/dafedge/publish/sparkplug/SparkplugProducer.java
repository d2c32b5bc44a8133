package io.dafedge.publish.sparkplug;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.dafedge.ingest.Frame;
import io.dafedge.ingest.FrameOutcome;
import io.dafedge.inspect.InspectionResult;
import io.dafedge.inspect.Verdict;
import io.dafedge.publish.MqttPublisher;
import io.dafedge.publish.Outbox;
import io.dafedge.publish.OutboxEntry;
import io.dafedge.publish.ResultMessages;
import io.dafedge.synth.Image;

/**
 * The appliance's Sparkplug side as a process of its own, for {@code io.dafedge.publish.SparkplugBrokerTest} to kill: MqttPublisher,
 * Outbox and {@link SparkplugMode} on a data folder, publishing {@code n} results over two cameras, then idling.
 * Prints "sent" once the results are on disk. Arguments: data folder, broker URL, number of results.
 */
public final class SparkplugProducer {
    public static final String GROUP = "plant";
    public static final String NODE = "box-1";

    private SparkplugProducer() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int n = Integer.parseInt(args[2]);
        SparkplugNode.State state = new SparkplugNode.State() {
            @Override
            public List<SparkplugNode.Camera> cameras() {
                return List.of(new SparkplugNode.Camera("cam0", "line", "model-a", 1, 0.5f, 0, 0, 0, 0),
                        new SparkplugNode.Camera("cam1", "line", "model-a", 1, 0.5f, 0, 0, 0, 0));
            }

            @Override
            public Map<String, Long> nodeCounters() {
                return Map.of("Outbox/Pending", 0L);
            }
        };
        SparkplugMode mode = new SparkplugMode(new SparkplugIds(GROUP, NODE), dir.resolve("sparkplug-bdseq"), "site",
                true, 1, state);
        MqttPublisher mqtt = new MqttPublisher(new MqttPublisher.Connection(args[1], "daf-edge-sp", null, null),
                mode.will());
        Outbox outbox = new Outbox(dir.resolve("outbox"), 64L << 20, mqtt, mode);
        mode.listen(mqtt, outbox);
        Image image = new Image(2, 2, 3, new byte[12]);
        for (int i = 0; i < n; i++) {
            String camera = "cam" + (i % 2);
            UUID id = UUID.nameUUIDFromBytes(("sp-" + i).getBytes());
            Instant now = Instant.now();
            Verdict verdict = i % 4 == 0 ? Verdict.NOK : Verdict.OK;
            InspectionResult r = new InspectionResult(id, camera, "line", "part-" + i, now, now, verdict,
                    verdict == Verdict.NOK ? 0.9f : 0.1f, 0.5f, "model-a", 1, List.of(), 0, new byte[] {1, 2, 3},
                    null, 1, 10, 2);
            Frame frame = new Frame(id, camera, "part-" + i, now, System.nanoTime(), image, "test",
                    FrameOutcome.NONE);
            outbox.offer(new OutboxEntry(camera, "line", verdict, id.toString(),
                    ResultMessages.bytes(ResultMessages.result("site", r, frame, System.nanoTime())), r.overlayPng()));
        }
        System.out.println("sent");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE); // publishing and answering rebirths until the test kills the process
    }
}
