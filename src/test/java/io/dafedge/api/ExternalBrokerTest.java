package io.dafedge.api;

import static io.dafedge.api.EndToEnd.DEMO;
import static io.dafedge.api.EndToEnd.JSON;
import static io.dafedge.api.EndToEnd.upload;
import static io.dafedge.api.EndToEnd.validResult;
import static io.dafedge.api.TestUsers.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.dafedge.api.EndToEnd.Inbox;
import io.dafedge.synth.ImageFiles;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The appliance among the plant's own services: a real mosquitto as its external broker and an MJPEG camera served
 * by ffmpeg, with every message read back by mosquitto_sub and checked against the published JSON Schema.
 */
@QuarkusTest
@QuarkusTestResource(value = LineWithModel.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = LineWithModel.EXTERNAL, value = "true"))
class ExternalBrokerTest {
    private static final Inbox INBOX = new Inbox();
    private static MosquittoSub subscriber;

    @BeforeAll
    static void subscribe() throws Exception {
        assumeTrue(config().getOptionalValue(LineWithModel.MQTT_PORT, Integer.class).isPresent(),
                "no external broker: ../shared is absent, or DAF_SKIP_EXTERNAL=1 and the tools are missing");
        subscriber = MosquittoSub.start(mosquittoSub(), port(), "daf-edge/#", INBOX);
        // the retained status is delivered as soon as the subscription stands, so uploads after it are seen
        INBOX.next("/site/status");
    }

    @AfterAll
    static void unsubscribe() {
        if (subscriber != null) {
            subscriber.close();
        }
    }

    private static Config config() {
        return ConfigProvider.getConfig();
    }

    private static int port() {
        return config().getValue(LineWithModel.MQTT_PORT, Integer.class);
    }

    private static String mosquittoSub() {
        return config().getValue(LineWithModel.MOSQUITTO_SUB, String.class);
    }

    @Test
    void anUploadedFrameIsPublishedThroughTheExternalBroker() throws Exception {
        String id = upload(ImageFiles.encodePng(DEMO.good(7_100_001)), "ext-1");
        JsonNode r = INBOX.result("/site/line1/cam1/result", id);
        assertEquals("ext-1", r.get("partId").asText());
        assertEquals("cam1", r.get("camera").asText());
    }

    @Test
    void theMjpegCameraIsStreamedInspectedAndPublished() throws Exception {
        Set<String> ids = new HashSet<>();
        while (ids.size() < 2) {
            JsonNode r = validResult(INBOX.next("/site/line1/" + LineWithModel.STREAM + "/result"));
            assertEquals(LineWithModel.STREAM, r.get("camera").asText());
            ids.add(r.get("resultId").asText());
        }
        asAdmin().when().get("/api/v1/cameras/" + LineWithModel.STREAM).then().statusCode(200)
                .body("sourceState", equalTo("RUNNING")).body("received", greaterThan(0));
    }

    @Test
    void theStatusIsRetainedOnline() throws Exception {
        String status = MosquittoSub.retained(mosquittoSub(), port(), "daf-edge/site/status", List.of());
        assertFalse(status.isEmpty(), "a retained message on daf-edge/site/status");
        assertTrue(JSON.readTree(status).get("online").asBoolean(), status);
    }
}
