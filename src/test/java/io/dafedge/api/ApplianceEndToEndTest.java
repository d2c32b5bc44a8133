package io.dafedge.api;

import static io.dafedge.api.EndToEnd.DEMO;
import static io.dafedge.api.EndToEnd.awaitListed;
import static io.dafedge.api.EndToEnd.JSON;
import static io.dafedge.api.EndToEnd.upload;
import static io.dafedge.api.EndToEnd.validResult;
import static io.dafedge.api.TestUsers.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.dafedge.api.EndToEnd.Inbox;
import io.dafedge.api.EndToEnd.Message;
import io.dafedge.synth.ImageFiles;
import io.dafedge.synth.demo.DemoDefect;
import io.quarkus.test.common.QuarkusTestResource;
import io.restassured.RestAssured;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The main loop end to end on its embedded defaults: frames uploaded or dropped into a hot folder are inspected by
 * a real model, published over MQTT (checked against the published JSON Schema by an independent Paho subscriber)
 * and listed by the REST API under the same result id; bad uploads are refused and leave the service healthy.
 */
@QuarkusTest
@QuarkusTestResource(value = LineWithModel.class, restrictToAnnotatedClass = true)
class ApplianceEndToEndTest {
    private static final Inbox INBOX = new Inbox();
    private static MqttClient subscriber;

    @BeforeAll
    static void subscribe() throws Exception {
        assumeTrue(ConfigProvider.getConfig().getOptionalValue("daf.lines.line1.model", String.class).isPresent(),
                "../shared not present: no model for the end-to-end line");
        int port = ConfigProvider.getConfig().getValue("daf.mqtt.embedded-port", Integer.class);
        subscriber = new MqttClient("tcp://127.0.0.1:" + port, "e2e-" + UUID.randomUUID(), new MemoryPersistence());
        subscriber.connect();
        subscriber.subscribe("daf-edge/site/#", 1, (topic, m) -> INBOX.add(new Message(topic, m.getPayload())));
    }

    @AfterAll
    static void unsubscribe() throws Exception {
        if (subscriber != null) {
            subscriber.disconnect();
            subscriber.close();
        }
    }

    @Test
    void aDefectiveUploadIsPublishedAsNokWithItsHeatMapAndListedByTheApi() throws Exception {
        byte[] png = ImageFiles.encodePng(DEMO.defective(7_000_001, DemoDefect.STAIN).image());
        String id = upload(png, "part-nok-1");

        JsonNode r = INBOX.result("/line1/cam1/result", id);
        assertEquals("NOK", r.get("verdict").asText());
        assertEquals("part-nok-1", r.get("partId").asText());
        assertEquals("site", r.get("site").asText());
        assertEquals(1, r.get("modelVersion").asInt());
        assertTrue(r.get("score").asDouble() >= r.get("threshold").asDouble());
        assertTrue(r.get("regions").size() >= 1, "a NOK part has at least one region");
        assertTrue(r.get("timingsMs").get("detect").asDouble() > 0);
        byte[] heat = INBOX.next("/line1/cam1/heatmap").payload();
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(heat, 4));

        awaitListed(id);
        asAdmin().queryParam("camera", "cam1").queryParam("verdict", "NOK").when().get("/api/v1/inspections")
                .then().statusCode(200).body("items.resultId", hasItem(id));
        asAdmin().when().get("/api/v1/inspections/" + id).then().statusCode(200)
                .body("verdict", equalTo("NOK")).body("partId", equalTo("part-nok-1"))
                .body("regions[0].maxScore", notNullValue())
                .body("images.heatmap", equalTo("/api/v1/inspections/" + id + "/heatmap.png"));
        asAdmin().when().get("/api/v1/inspections/" + id + "/heatmap.png").then().statusCode(200)
                .contentType("image/png");
    }

    @Test
    void aGoodUploadIsOkAndKeepsNoPictures() throws Exception {
        String id = upload(ImageFiles.encodePng(DEMO.good(7_000_002)), "part-ok-1");
        JsonNode r = INBOX.result("/line1/cam1/result", id);
        assertEquals("OK", r.get("verdict").asText());
        assertEquals(0, r.get("regions").size());
        awaitListed(id);
        asAdmin().when().get("/api/v1/inspections/" + id + "/thumbnail.png").then().statusCode(404)
                .body("error", containsString("no pictures"));
    }

    @Test
    void aFrameDroppedIntoTheHotFolderIsInspectedAndMovedToDone() throws Exception {
        Path hot = Path.of(ConfigProvider.getConfig().getValue("test.hot-folder", String.class));
        Files.write(hot.resolve("frame-1.png"), ImageFiles.encodePng(DEMO.good(7_000_003)));
        JsonNode r = validResult(INBOX.next("/line1/" + LineWithModel.HOT + "/result"));
        for (int i = 0; i < 100 && !Files.exists(hot.resolve("done").resolve("frame-1.png")); i++) {
            Thread.sleep(100);
        }
        assertTrue(Files.exists(hot.resolve("done").resolve("frame-1.png")), "moved to done/");
        awaitListed(r.get("resultId").asText());
    }

    @Test
    void badUploadsAreRefusedWithAReasonAndTheServiceStaysHealthy() throws Exception {
        byte[] png = ImageFiles.encodePng(DEMO.good(7_000_004));
        Map<String, byte[]> bad = Map.of(
                "corrupt", "this is not an image at all".getBytes(StandardCharsets.UTF_8),
                "truncated", Arrays.copyOf(png, png.length / 3),
                "empty", new byte[0]);
        bad.forEach((what, body) -> asAdmin().contentType("image/png").body(body)
                .when().post("/api/v1/cameras/cam1/frames")
                .then().statusCode(400).body("error", notNullValue()));
        asAdmin().contentType("text/plain").body("hello").when().post("/api/v1/cameras/cam1/frames")
                .then().statusCode(415);
        assertEquals(413, oversizedUpload());
        asAdmin().contentType("image/png").body(png).when().post("/api/v1/cameras/nope/frames")
                .then().statusCode(404).body("error", containsString("cam1"));
        asAdmin().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem("mqtt"));
        upload(png, "after-bad-uploads");
    }

    @Test
    void multipartUploadsCarryTheirPartId() throws Exception {
        byte[] png = ImageFiles.encodePng(DEMO.good(7_000_005));
        String id = asAdmin().multiPart("file", "frame.png", png, "image/png").multiPart("partId", "mp-1")
                .when().post("/api/v1/cameras/cam1/frames").then().statusCode(202)
                .body("partId", equalTo("mp-1")).extract().path("resultId");
        assertEquals("mp-1", INBOX.result("/line1/cam1/result", id).get("partId").asText());
    }

    @Test
    void linesCamerasStatusMetricsAndOpenApiDescribeTheRunningAppliance() throws Exception {
        asAdmin().when().get("/api/v1/lines").then().statusCode(200)
                .body("find { it.id == 'line1' }.state", equalTo("inspecting"))
                .body("find { it.id == 'line1' }.modelVersion", equalTo(1))
                .body("find { it.id == 'line1' }.cameras", hasItem("cam1"));
        asAdmin().when().get("/api/v1/cameras/cam1").then().statusCode(200)
                .body("sourceState", equalTo("RUNNING")).body("queueCapacity", equalTo(8));
        Message status = INBOX.next("/status");
        assertTrue(JSON.readTree(status.payload()).get("online").asBoolean());
        asAdmin().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("daf_frames_received_total")).body(containsString("daf_queue_depth"))
                .body(containsString("daf_results_stored_total")).body(containsString("daf_results_store_dropped_total"))
                .body(containsString("daf_mqtt_failed_total")).body(containsString("daf_mqtt_connected 1.0"));
        asAdmin().when().get("/q/openapi").then().statusCode(200)
                .body(containsString("/api/v1/inspections")).body(containsString("/api/v1/cameras/{camera}/frames"));
    }

    /**
     * Status of an upload one KB over the limit. Sent with "Expect: 100-continue", as a well-behaved camera
     * gateway does, so the server can refuse it before the body is on the wire (otherwise the client may see the
     * connection closed under it instead of the answer).
     */
    private static int oversizedUpload() throws Exception {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        port = port == 0 ? RestAssured.port : port;
        var request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/cameras/cam1/frames"))
                .expectContinue(true).header("Content-Type", "image/png")
                .header("Authorization", TestUsers.basic(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD))
                .POST(HttpRequest.BodyPublishers.ofByteArray(
                        new byte[(int) (LineWithModel.MAX_UPLOAD_MB * 1024 * 1024 + 1024)]))
                .build();
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
