package io.dafedge.api;

import static io.dafedge.api.TestUsers.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import io.dafedge.synth.demo.DemoLine;
import io.dafedge.synth.demo.DemoProduct;

/** What the end-to-end tests share: the demo parts, uploads to cam1, and the MQTT messages their subscriber saw. */
public final class EndToEnd {
    static final ObjectMapper JSON = new ObjectMapper();
    public static final DemoLine DEMO = new DemoLine(DemoProduct.FLANGE, 256, 256);
    private static final long WAIT_SECONDS = 60;
    private static final Schema RESULT_SCHEMA = resultSchema();

    private EndToEnd() {
    }

    private static Schema resultSchema() {
        try (InputStream in = EndToEnd.class.getResourceAsStream("/mqtt/result.schema.json")) {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Uploads a PNG to cam1 and returns the result id of the 202 answer. */
    public static String upload(byte[] png, String partId) {
        return asAdmin().contentType("image/png").body(png).queryParam("partId", partId)
                .when().post("/api/v1/cameras/cam1/frames")
                .then().statusCode(202).body("camera", equalTo("cam1")).body("line", equalTo("line1"))
                .body("partId", equalTo(partId)).extract().path("resultId");
    }

    /** Waits until the REST API lists the inspection (the store writes in batches). */
    public static void awaitListed(String id) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (asAdmin().when().get("/api/v1/inspections/" + id).statusCode() == 200) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("inspection " + id + " not stored within 10 s");
    }

    /** A result message, checked against result.schema.json. */
    static JsonNode validResult(Message m) throws IOException {
        var errors = RESULT_SCHEMA.validate(m.text(), InputFormat.JSON);
        assertTrue(errors.isEmpty(), m.topic() + " matches result.schema.json: " + errors);
        return JSON.readTree(m.text());
    }

    record Message(String topic, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /** Messages as a subscriber received them; a test takes the ones it looks for and leaves the rest. */
    static final class Inbox {
        private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();

        void add(Message m) {
            messages.add(m);
        }

        /** The next message on a topic ending in {@code topicSuffix} (others are kept for later calls). */
        Message next(String topicSuffix) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            List<Message> others = new ArrayList<>();
            try {
                while (System.nanoTime() < end) {
                    Message m = messages.poll(1, TimeUnit.SECONDS);
                    if (m != null && m.topic().endsWith(topicSuffix)) {
                        return m;
                    }
                    if (m != null) {
                        others.add(m);
                    }
                }
            } finally {
                messages.addAll(others);
            }
            throw new AssertionError("no message on *" + topicSuffix + " within " + WAIT_SECONDS + " s");
        }

        /** The result {@code resultId} on a topic ending in {@code topicSuffix}, valid by the schema. */
        JsonNode result(String topicSuffix, String resultId) throws Exception {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (System.nanoTime() < end) {
                Message m = next(topicSuffix);
                if (JSON.readTree(m.payload()).path("resultId").asText().equals(resultId)) {
                    return validResult(m);
                }
            }
            throw new AssertionError("no result " + resultId + " on *" + topicSuffix);
        }
    }
}
