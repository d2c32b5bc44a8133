package io.dafedge.publish.sparkplug;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.eclipse.tahu.SparkplugInvalidTypeException;
import org.eclipse.tahu.message.SparkplugBPayloadDecoder;
import org.eclipse.tahu.message.SparkplugBPayloadEncoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The appliance as a Sparkplug B edge node (Eclipse Tahu payloads), one device per camera. Keeps the state a
 * Sparkplug session needs: the bdSeq of the current connection (in the NDEATH will and the NBIRTH) and the message
 * sequence number, 0 to 255, which starts at 0 with each NBIRTH and counts every node and device message after it.
 * The caller publishes the messages in the order it asked for them, on one connection.
 *
 * <p>Metric names and types are listed in docs/mqtt.md ("Sparkplug B").
 */
public final class SparkplugNode {
    public static final String BD_SEQ = "bdSeq";
    public static final String REBIRTH = "Node Control/Rebirth";

    /** A message to publish (QoS 0 as Sparkplug wants for births and data; the will is QoS 1). */
    public record Message(String topic, byte[] payload) {
    }

    /** What a camera's DBIRTH and its periodic counts say. Nullable fields are null until the line has a model. */
    public record Camera(String camera, String line, String modelId, Integer modelVersion, Float threshold,
            long inspected, long nok, long dropped, long failed) {
    }

    /** The live state births and counts are taken from. */
    public interface State {
        List<Camera> cameras();

        /** Node-level counters (outbox, uptime), published as Int64 metrics under their names. */
        Map<String, Long> nodeCounters();
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SparkplugBPayloadEncoder ENCODER = new SparkplugBPayloadEncoder();

    private final SparkplugIds ids;
    private final BdSeq bdSeq;
    private final String site;
    private final boolean heatmaps;
    private long sessionBdSeq = -1;
    private long seq;

    /**
     * @param heatmaps whether inspections carry their heat-map PNG as a Bytes metric
     */
    public SparkplugNode(SparkplugIds ids, BdSeq bdSeq, String site, boolean heatmaps) {
        this.ids = ids;
        this.bdSeq = bdSeq;
        this.site = site;
        this.heatmaps = heatmaps;
    }

    public SparkplugIds ids() {
        return ids;
    }

    /** Takes the bdSeq of the connection about to be made and returns the NDEATH to leave as its will. */
    public synchronized byte[] willForNextConnection() {
        sessionBdSeq = bdSeq.take();
        return death();
    }

    /** The NDEATH of the current connection, for a clean shutdown to publish itself (its will does not fire). */
    public synchronized byte[] death() {
        return encode(payload(null, List.of(metric(BD_SEQ, MetricDataType.Int64, sessionBdSeq))));
    }

    /** NBIRTH, then a DBIRTH per camera: after every connect and on a host's rebirth request. */
    public synchronized List<Message> births(State state) {
        if (sessionBdSeq < 0) {
            throw new IllegalStateException("births before willForNextConnection: no bdSeq for this session");
        }
        seq = 0;
        List<Metric> node = new ArrayList<>();
        node.add(metric(BD_SEQ, MetricDataType.Int64, sessionBdSeq));
        node.add(metric(REBIRTH, MetricDataType.Boolean, false));
        node.add(metric("Properties/Site", MetricDataType.String, site));
        state.nodeCounters().forEach((name, v) -> node.add(metric(name, MetricDataType.Int64, v)));
        List<Message> out = new ArrayList<>();
        out.add(new Message(ids.nbirth(), encode(payload(nextSeq(), node))));
        for (Camera c : state.cameras()) {
            List<Metric> m = new ArrayList<>();
            m.add(metric("Line", MetricDataType.String, c.line()));
            inspectionMetrics(m, null, null, null);
            modelMetrics(m, c.modelId(), c.modelVersion());
            counts(m, c);
            out.add(new Message(ids.dbirth(c.camera()), encode(payload(nextSeq(), m))));
        }
        return out;
    }

    /**
     * The DDATA of one inspection, from its JSON result (docs/mqtt.md, result.schema.json) and heat map (may be null).
     */
    public synchronized Message data(byte[] resultJson, byte[] heatmapPng) {
        JsonNode r;
        try {
            r = JSON.readTree(resultJson);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a result JSON: " + e.getMessage(), e);
        }
        List<Metric> m = new ArrayList<>();
        Date inspectedAt = Date.from(Instant.parse(r.get("inspectedAt").asText()));
        inspectionMetrics(m, r, heatmapPng, inspectedAt);
        JsonNode version = r.get("modelVersion");
        modelMetrics(m, text(r, "modelId"), version.isNull() ? null : version.asInt());
        return new Message(ids.ddata(r.get("camera").asText()), encode(payload(nextSeq(), m)));
    }

    /** An NDATA with the node's counters and a DDATA per camera with its counters, for the periodic status. */
    public synchronized List<Message> counts(State state) {
        List<Message> out = new ArrayList<>();
        List<Metric> node = new ArrayList<>();
        state.nodeCounters().forEach((name, v) -> node.add(metric(name, MetricDataType.Int64, v)));
        out.add(new Message(ids.ndata(), encode(payload(nextSeq(), node))));
        for (Camera c : state.cameras()) {
            List<Metric> m = new ArrayList<>();
            counts(m, c);
            out.add(new Message(ids.ddata(c.camera()), encode(payload(nextSeq(), m))));
        }
        return out;
    }

    /** Whether an NCMD payload asks for a rebirth; a payload that is not Sparkplug B is not a request. */
    public static boolean isRebirthRequest(byte[] ncmd) {
        try {
            SparkplugBPayload p = new SparkplugBPayloadDecoder().buildFromByteArray(ncmd, null);
            return p.getMetrics().stream().anyMatch(m -> REBIRTH.equals(m.getName())
                    && Boolean.TRUE.equals(m.getValue()));
        } catch (Exception e) { // the decoder declares Exception
            return false;
        }
    }

    /** Every inspection metric; {@code r} null gives the DBIRTH's declaration with null values. */
    private void inspectionMetrics(List<Metric> m, JsonNode r, byte[] heatmapPng, Date at) {
        m.add(metric("Inspection/ResultId", MetricDataType.String, r == null ? null : text(r, "resultId"), at));
        m.add(metric("Inspection/PartId", MetricDataType.String, r == null ? null : text(r, "partId"), at));
        m.add(metric("Inspection/Verdict", MetricDataType.String, r == null ? null : text(r, "verdict"), at));
        m.add(metric("Inspection/Score", MetricDataType.Float, r == null ? null : number(r, "score"), at));
        m.add(metric("Inspection/Threshold", MetricDataType.Float, r == null ? null : number(r, "threshold"), at));
        m.add(metric("Inspection/CapturedAt", MetricDataType.DateTime,
                r == null ? null : Date.from(Instant.parse(r.get("capturedAt").asText())), at));
        m.add(metric("Inspection/Regions", MetricDataType.String, r == null ? null : r.get("regions").toString(), at));
        m.add(metric("Inspection/RegionsOmitted", MetricDataType.Int32,
                r == null ? null : r.get("regionsOmitted").asInt(), at));
        m.add(metric("Inspection/TotalMs", MetricDataType.Double,
                r == null ? null : r.get("timingsMs").get("total").asDouble(), at));
        if (heatmaps) {
            m.add(metric("Inspection/HeatMap", MetricDataType.Bytes, heatmapPng, at));
        }
    }

    private static void modelMetrics(List<Metric> m, String modelId, Integer version) {
        m.add(metric("Model/Id", MetricDataType.String, modelId));
        m.add(metric("Model/Version", MetricDataType.Int32, version));
    }

    private static void counts(List<Metric> m, Camera c) {
        m.add(metric("Model/Threshold", MetricDataType.Float, c.threshold()));
        m.add(metric("Counts/Inspected", MetricDataType.Int64, c.inspected()));
        m.add(metric("Counts/NOK", MetricDataType.Int64, c.nok()));
        m.add(metric("Counts/Dropped", MetricDataType.Int64, c.dropped()));
        m.add(metric("Counts/Failed", MetricDataType.Int64, c.failed()));
    }

    private static String text(JsonNode r, String field) {
        JsonNode v = r.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Float number(JsonNode r, String field) {
        JsonNode v = r.get(field);
        return v == null || v.isNull() ? null : (float) v.asDouble();
    }

    private long nextSeq() {
        long s = seq;
        seq = (seq + 1) & 0xFF;
        return s;
    }

    private static SparkplugBPayload payload(Long seq, List<Metric> metrics) {
        return new SparkplugBPayload(new Date(), metrics, seq);
    }

    private static Metric metric(String name, MetricDataType type, Object value) {
        return metric(name, type, value, null);
    }

    private static Metric metric(String name, MetricDataType type, Object value, Date at) {
        try {
            Metric.MetricBuilder b = new Metric.MetricBuilder(name, type, value);
            if (at != null) {
                b.timestamp(at);
            }
            return b.createMetric();
        } catch (SparkplugInvalidTypeException e) {
            throw new IllegalStateException("metric " + name + " built with a value of the wrong type", e);
        }
    }

    private static byte[] encode(SparkplugBPayload payload) {
        try {
            return ENCODER.getBytes(payload, false);
        } catch (IOException e) {
            throw new UncheckedIOException("Sparkplug payload not encodable", e);
        }
    }
}
