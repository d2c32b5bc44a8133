package io.dafedge.publish;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dafedge.ingest.Frame;
import io.dafedge.inspect.DefectRegion;
import io.dafedge.inspect.InspectionResult;

/** The result payload, as described by {@code mqtt/result.schema.json} and docs/mqtt.md. */
public final class ResultMessages {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ResultMessages() {
    }

    /** {@code publishedNanos} is System.nanoTime when the result is handed to MQTT, for the total time. */
    public static ObjectNode result(String site, InspectionResult r, Frame frame, long publishedNanos) {
        ObjectNode o = JSON.createObjectNode();
        o.put("resultId", r.resultId().toString());
        if (r.reinspectionOf() != null) {
            o.put("reinspectionOf", r.reinspectionOf().toString());
        }
        o.put("partId", r.partId());
        o.put("site", site);
        o.put("line", r.line());
        o.put("camera", r.camera());
        o.put("capturedAt", r.capturedAt().toString());
        o.put("inspectedAt", r.inspectedAt().toString());
        o.put("verdict", r.verdict().name());
        o.put("score", r.score());
        o.put("threshold", r.threshold());
        o.put("modelId", r.modelId());
        o.put("modelVersion", r.modelVersion());
        ArrayNode regions = o.putArray("regions");
        for (DefectRegion d : r.regions()) {
            ObjectNode g = regions.addObject();
            g.put("x", d.box().x());
            g.put("y", d.box().y());
            g.put("width", d.box().width());
            g.put("height", d.box().height());
            g.put("area", d.pixels());
            g.put("maxScore", d.maxScore());
            g.put("meanScore", d.meanScore());
        }
        o.put("regionsOmitted", r.omittedRegions());
        ObjectNode t = o.putObject("timingsMs");
        double total = (publishedNanos - frame.arrivedNanos()) / 1e6;
        double work = r.workMs();
        t.put("queue", round(Math.max(0, total - work)));
        t.put("preprocess", round(r.preprocessMs()));
        t.put("detect", round(r.detectMs()));
        t.put("postprocess", round(r.postprocessMs()));
        t.put("total", round(total));
        return o;
    }

    public static byte[] bytes(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain values always serialises", e);
        }
    }

    public static String text(ObjectNode node) {
        return new String(bytes(node), StandardCharsets.UTF_8);
    }

    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    private static double round(double ms) {
        return Math.round(ms * 1000) / 1000.0;
    }
}
