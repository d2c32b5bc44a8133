package io.dafedge.publish.sparkplug;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.tahu.message.SparkplugBPayloadDecoder;
import org.eclipse.tahu.message.SparkplugBPayloadEncoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.dafedge.ingest.Frame;
import io.dafedge.ingest.FrameOutcome;
import io.dafedge.inspect.Box;
import io.dafedge.inspect.DefectRegion;
import io.dafedge.inspect.InspectionResult;
import io.dafedge.inspect.Verdict;
import io.dafedge.publish.ResultMessages;
import io.dafedge.synth.Image;

/** Every payload is decoded by Tahu's own decoder, independently of how it was built. */
class SparkplugNodeTest {
    @TempDir
    Path dir;

    private static final SparkplugNode.State STATE = new SparkplugNode.State() {
        @Override
        public List<SparkplugNode.Camera> cameras() {
            return List.of(new SparkplugNode.Camera("cam1", "line1", "model-a", 3, 0.42f, 120, 7, 2, 1),
                    new SparkplugNode.Camera("cam2", "line2", null, null, null, 0, 0, 0, 0));
        }

        @Override
        public Map<String, Long> nodeCounters() {
            Map<String, Long> m = new LinkedHashMap<>();
            m.put("Outbox/Pending", 5L);
            return m;
        }
    };

    private SparkplugNode node(boolean heatmaps) {
        return new SparkplugNode(new SparkplugIds("plant", "box-1"), new BdSeq(dir.resolve("bdseq")), "site-a",
                heatmaps);
    }

    private static SparkplugBPayload decode(byte[] bytes) throws Exception {
        return new SparkplugBPayloadDecoder().buildFromByteArray(bytes, null);
    }

    private static Metric metric(SparkplugBPayload p, String name) {
        return p.getMetrics().stream().filter(m -> name.equals(m.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + name + " in " + p));
    }

    @Test
    void theWillAndTheBirthsCarryTheSameBdSeqAndTheBirthsCountFromZero() throws Exception {
        SparkplugNode node = node(false);
        SparkplugBPayload death = decode(node.willForNextConnection());
        assertEquals(0L, metric(death, "bdSeq").getValue());
        assertNull(death.getSeq(), "an NDEATH has no sequence number");

        List<SparkplugNode.Message> births = node.births(STATE);
        assertEquals(List.of("spBv1.0/plant/NBIRTH/box-1", "spBv1.0/plant/DBIRTH/box-1/cam1",
                "spBv1.0/plant/DBIRTH/box-1/cam2"), births.stream().map(SparkplugNode.Message::topic).toList());
        SparkplugBPayload nbirth = decode(births.get(0).payload());
        assertEquals(0L, nbirth.getSeq());
        assertEquals(0L, metric(nbirth, "bdSeq").getValue());
        assertEquals(false, metric(nbirth, "Node Control/Rebirth").getValue());
        assertEquals("site-a", metric(nbirth, "Properties/Site").getValue());
        assertEquals(5L, ((Number) metric(nbirth, "Outbox/Pending").getValue()).longValue());

        SparkplugBPayload cam1 = decode(births.get(1).payload());
        assertEquals(1L, cam1.getSeq());
        assertEquals("line1", metric(cam1, "Line").getValue());
        assertEquals("model-a", metric(cam1, "Model/Id").getValue());
        assertEquals(3, metric(cam1, "Model/Version").getValue());
        assertEquals(0.42f, metric(cam1, "Model/Threshold").getValue());
        assertEquals(120L, ((Number) metric(cam1, "Counts/Inspected").getValue()).longValue());
        assertEquals(7L, ((Number) metric(cam1, "Counts/NOK").getValue()).longValue());
        assertTrue(metric(cam1, "Inspection/Verdict").isNull(), "declared before the first inspection");
        assertEquals(MetricDataType.String, metric(cam1, "Inspection/Verdict").getDataType());
        SparkplugBPayload cam2 = decode(births.get(2).payload());
        assertEquals(2L, cam2.getSeq());
        assertTrue(metric(cam2, "Model/Id").isNull(), "a line without a model has none to declare");

        // the next connection has the next bdSeq, and a new birth restarts the sequence
        assertEquals(1L, metric(decode(node.willForNextConnection()), "bdSeq").getValue());
        assertEquals(0L, decode(node.births(STATE).get(0).payload()).getSeq());
    }

    @Test
    void aRestartedApplianceDoesNotReuseItsLastBdSeqAndTheNumberWrapsAfter255() throws Exception {
        SparkplugNode first = node(false);
        first.willForNextConnection();
        first.willForNextConnection();
        assertEquals(2L, metric(decode(node(false).willForNextConnection()), "bdSeq").getValue());

        Files.writeString(dir.resolve("bdseq"), "255");
        SparkplugNode n = node(false);
        assertEquals(255L, metric(decode(n.willForNextConnection()), "bdSeq").getValue());
        assertEquals(0L, metric(decode(n.willForNextConnection()), "bdSeq").getValue());

        Files.writeString(dir.resolve("bdseq"), "garbage");
        assertEquals(0L, metric(decode(node(false).willForNextConnection()), "bdSeq").getValue());
    }

    @Test
    void anInspectionIsOneDdataWithItsResultAndHeatMap() throws Exception {
        SparkplugNode node = node(true);
        node.willForNextConnection();
        node.births(STATE);
        Instant captured = Instant.parse("2026-11-27T10:00:00Z");
        Instant inspected = Instant.parse("2026-11-27T10:00:00.040Z");
        UUID id = UUID.randomUUID();
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
        InspectionResult r = new InspectionResult(id, "cam1", "line1", "part-9", captured, inspected, Verdict.NOK,
                0.81f, 0.42f, "model-a", 3, List.of(new DefectRegion(new Box(10, 20, 30, 40), new Box(1, 2, 3, 4),
                        1150, 0.9f, 0.6f)), 2, png, null, 1, 20, 5);
        Frame frame = new Frame(id, "cam1", "part-9", captured, System.nanoTime() - 50_000_000L,
                new Image(2, 2, 3, new byte[12]), "test",
                FrameOutcome.NONE);
        byte[] json = ResultMessages.bytes(ResultMessages.result("site-a", r, frame, System.nanoTime()));

        SparkplugNode.Message m = node.data(json, png);
        assertEquals("spBv1.0/plant/DDATA/box-1/cam1", m.topic());
        SparkplugBPayload p = decode(m.payload());
        assertEquals(3L, p.getSeq(), "after the NBIRTH and two DBIRTHs");
        assertEquals(id.toString(), metric(p, "Inspection/ResultId").getValue());
        assertEquals("part-9", metric(p, "Inspection/PartId").getValue());
        assertEquals("NOK", metric(p, "Inspection/Verdict").getValue());
        assertEquals(0.81f, metric(p, "Inspection/Score").getValue());
        assertEquals(0.42f, metric(p, "Inspection/Threshold").getValue());
        assertEquals(Date.from(captured), metric(p, "Inspection/CapturedAt").getValue());
        assertEquals(Date.from(inspected), metric(p, "Inspection/Verdict").getTimestamp());
        assertTrue(((String) metric(p, "Inspection/Regions").getValue()).contains("\"area\":1150"));
        assertEquals(2, metric(p, "Inspection/RegionsOmitted").getValue());
        assertArrayEquals(png, (byte[]) metric(p, "Inspection/HeatMap").getValue());
        assertEquals(3, metric(p, "Model/Version").getValue());

        // an UNKNOWN verdict has no score: the metric is sent as null, not as a made-up number
        InspectionResult unknown = new InspectionResult(UUID.randomUUID(), "cam2", "line2", null, captured, inspected,
                Verdict.UNKNOWN, null, null, null, null, List.of(), 0, null, null, 1, 0, 1);
        SparkplugBPayload u = decode(node.data(ResultMessages.bytes(ResultMessages.result("site-a", unknown, frame,
                System.nanoTime())), null).payload());
        assertEquals(4L, u.getSeq());
        assertTrue(metric(u, "Inspection/Score").isNull());
        assertTrue(metric(u, "Inspection/HeatMap").isNull());
        assertThrows(IllegalArgumentException.class, () -> node.data("{".getBytes(), null));
    }

    @Test
    void theSequenceNumberWrapsFrom255ToZero() throws Exception {
        SparkplugNode node = node(false);
        node.willForNextConnection();
        node.births(STATE); // seq 0, 1, 2
        long last = -1;
        for (int i = 0; i < 300; i++) {
            last = decode(node.counts(STATE).get(0).payload()).getSeq();
            assertTrue(last >= 0 && last <= 255);
        }
        // 3 births, then 3 messages per counts (NDATA first): the last NDATA is message 3 + 3 * 299
        assertEquals((3 + 3 * 299) % 256, last);
        List<SparkplugNode.Message> counts = node.counts(STATE);
        assertEquals("spBv1.0/plant/NDATA/box-1", counts.get(0).topic());
        assertEquals(5L, metric(decode(counts.get(0).payload()), "Outbox/Pending").getValue());
        assertEquals("spBv1.0/plant/DDATA/box-1/cam2", counts.get(2).topic());
    }

    @Test
    void onlyARebirthMetricSetToTrueIsARebirthRequest() throws Exception {
        assertTrue(SparkplugNode.isRebirthRequest(ncmd(SparkplugNode.REBIRTH, true)));
        assertFalse(SparkplugNode.isRebirthRequest(ncmd(SparkplugNode.REBIRTH, false)));
        assertFalse(SparkplugNode.isRebirthRequest(ncmd("Node Control/Reboot", true)));
        assertFalse(SparkplugNode.isRebirthRequest("not protobuf at all".getBytes()));
    }

    @Test
    void birthsNeedASession() {
        assertThrows(IllegalStateException.class, () -> node(false).births(STATE));
    }

    private static byte[] ncmd(String name, boolean value) throws Exception {
        return new SparkplugBPayloadEncoder().getBytes(new SparkplugBPayload.SparkplugBPayloadBuilder()
                .setTimestamp(new Date())
                .addMetric(new Metric.MetricBuilder(name, MetricDataType.Boolean, value).createMetric())
                .createPayload(), false);
    }
}
