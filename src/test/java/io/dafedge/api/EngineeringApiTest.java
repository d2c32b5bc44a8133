package io.dafedge.api;

import static io.dafedge.api.EngineeringProfile.CAMERA;
import static io.dafedge.api.EngineeringProfile.LINE;
import static io.dafedge.api.TestUsers.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.dafedge.DafConfig;
import io.dafedge.model.ModelBundle;
import io.dafedge.model.TestBundles;
import io.dafedge.security.Role;
import io.dafedge.security.Users;
import io.dafedge.store.Reviews;
import io.dafedge.store.RoiRepository;
import io.dafedge.synth.Image;
import io.dafedge.synth.ImageFiles;
import io.dafedge.synth.demo.DemoDefect;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;

/**
 * The engineers' API on a running appliance with real PaDiM bundles in its {@code models/} folder: who may call
 * what, then promotions, rollbacks, thresholds with their preview and suggestion on reviewed frames, and the ROI.
 */
@QuarkusTest
@TestProfile(EngineeringProfile.class)
class EngineeringApiTest {
    static final String OPERATOR = "op";
    static final String OPERATOR_PASSWORD = "operator-password";
    private static ModelBundle a;
    private static ModelBundle b;
    private static ModelBundle recorded;

    @Inject
    Users users;
    @Inject
    DafConfig config;
    @Inject
    Reviews reviews;
    @Inject
    RoiRepository rois;

    /** An engineer-only call: method, path and JSON body (null: none). */
    record Call(String method, String path, String body) {
        RequestSpecification spec(RequestSpecification r) {
            return body == null ? r : r.contentType(ContentType.JSON).body(body);
        }
    }

    static final List<Call> ENGINEER_CALLS = List.of(
            new Call("GET", "/api/v1/models", null),
            new Call("POST", "/api/v1/models/some-id/promote", "{\"line\":\"line1\",\"threshold\":5}"),
            new Call("POST", "/api/v1/lines/line1/rollback", null),
            new Call("GET", "/api/v1/lines/line1/promotions", null),
            new Call("PUT", "/api/v1/lines/line1/threshold", "{\"threshold\":5}"),
            new Call("GET", "/api/v1/lines/line1/threshold-preview?threshold=5", null),
            new Call("GET", "/api/v1/lines/line1/suggested-threshold", null),
            new Call("GET", "/api/v1/cameras/cam1/roi", null),
            new Call("PUT", "/api/v1/cameras/cam1/roi", "{\"x\":0,\"y\":0,\"width\":8,\"height\":8}"),
            new Call("DELETE", "/api/v1/cameras/cam1/roi", null));

    @BeforeEach
    void prepare() throws Exception {
        synchronized (EngineeringApiTest.class) {
            if (a == null) {
                users.create(OPERATOR, OPERATOR_PASSWORD, Role.OPERATOR);
                Path models = config.dataDir().resolve("models");
                a = TestBundles.padim(models.resolve("a"), 1);
                b = TestBundles.padim(models.resolve("b"), 100);
                recorded = TestBundles.copy(a, models.resolve("recorded"), "recorded-1",
                        ModelBundle.JSON.createObjectNode().put("threshold", 7.5)
                                .set("metrics", ModelBundle.JSON.createObjectNode().put("image_auroc", 0.9)));
            }
        }
    }

    @Test
    void engineerCallsAnswer401WithoutCredentialsAnd403ToAnOperator() {
        for (Call c : ENGINEER_CALLS) {
            c.spec(given()).request(c.method(), c.path()).then().statusCode(401);
            c.spec(TestUsers.as(OPERATOR, OPERATOR_PASSWORD)).request(c.method(), c.path()).then().statusCode(403);
        }
    }

    @Test
    void anOperatorGetsTheLatestFrameAndAnyoneElseIsAskedToLogIn() throws Exception {
        given().get("/api/v1/cameras/cam1/frame.png").then().statusCode(401);
        upload(TestBundles.DEMO.good(7));
        byte[] png = TestUsers.as(OPERATOR, OPERATOR_PASSWORD).get("/api/v1/cameras/cam1/frame.png").then()
                .statusCode(200).contentType("image/png").extract().asByteArray();
        Image frame = ImageFiles.decode(png, "frame.png");
        assertEquals(TestBundles.SIDE, frame.width);
        asAdmin().get("/api/v1/cameras/nope/frame.png").then().statusCode(404)
                .body("error", equalTo("no camera 'nope' is configured"));
    }

    @Test
    void promoteRollBackAndTuneTheThresholdOnReviewedFrames() throws Exception {
        asAdmin().get("/api/v1/models").then().statusCode(200)
                .body("summary.id", hasItem(a.id())).body("summary.id", hasItem("recorded-1"))
                .body("find { it.summary.id == 'recorded-1' }.summary.threshold", equalTo(7.5f))
                .body("find { it.summary.id == 'recorded-1' }.summary.metrics.image_auroc", equalTo(0.9f))
                .body("find { it.summary.id == 'recorded-1' }.summary.method", equalTo("padim"))
                .body("find { it.summary.id == '" + a.id() + "' }.lines", equalTo(List.of()));
        asAdmin().contentType(ContentType.JSON).body("{\"threshold\":5}").put("/api/v1/lines/line1/threshold")
                .then().statusCode(409).body("error", equalTo("line line1 has no model yet, so it has no threshold"));
        asAdmin().post("/api/v1/lines/line1/rollback").then().statusCode(409)
                .body("error", equalTo("line line1 has no promotion to roll back"));

        promote(b.id(), "{\"line\":\"line1\"}").statusCode(400)
                .body("error", startsWith("model " + b.id() + " records no threshold in its manifest"));
        promote("no-such-model", "{\"line\":\"line1\",\"threshold\":5}").statusCode(404)
                .body("error", equalTo("no known model 'no-such-model'"));
        promote(a.id(), "{\"line\":\"line9\",\"threshold\":5}").statusCode(404)
                .body("error", equalTo("no line 'line9' (lines: [line1])"));
        promote(a.id(), "{\"threshold\":5}").statusCode(400).body("error", startsWith("give the line"));
        promote(a.id(), "{\"line\":\"line1\",\"threshold\":-1}").statusCode(400)
                .body("error", containsString("out of range for a padim model"));

        promote(a.id(), "{\"line\":\"line1\",\"threshold\":10}").statusCode(200)
                .body("modelId", equalTo(a.id())).body("threshold", equalTo(10f)).body("modelVersion", equalTo(1));
        asAdmin().get("/api/v1/models").then()
                .body("find { it.summary.id == '" + a.id() + "' }.lines", equalTo(List.of(LINE)));
        promote("recorded-1", "{\"line\":\"line1\"}").statusCode(200)
                .body("modelId", equalTo("recorded-1")).body("threshold", equalTo(7.5f));
        asAdmin().get("/api/v1/lines/line1/promotions").then().statusCode(200)
                .body("modelId", equalTo(List.of("recorded-1", a.id())))
                .body("[0].promotedBy", equalTo(TestUsers.ADMIN)).body("[0].previousModelId", equalTo(a.id()))
                .body("[1].previousModelId", nullValue());
        asAdmin().post("/api/v1/lines/line1/rollback").then().statusCode(200)
                .body("modelId", equalTo(a.id())).body("threshold", equalTo(10f));
        asAdmin().get("/api/v1/lines/line1/promotions").then()
                .body("[0].rolledBackBy", equalTo(TestUsers.ADMIN));

        threshold("{\"threshold\":0}").statusCode(400).body("error", containsString("out of range"));
        threshold("{}").statusCode(400).body("error", equalTo("give the threshold, a number"));
        threshold("{\"threshold\":12.5}").statusCode(200).body("threshold", equalTo(12.5f))
                .body("modelId", equalTo(a.id()));
        asAdmin().get("/api/v1/lines/line1/threshold-preview?threshold=abc").then().statusCode(400)
                .body("error", equalTo("threshold must be a number, got 'abc'"));
        asAdmin().get("/api/v1/lines/line1/threshold-preview?threshold=3").then().statusCode(200)
                .body("reviewed", equalTo(0));
        asAdmin().get("/api/v1/lines/line1/suggested-threshold").then().statusCode(409)
                .body("error", containsString("include 0 defective and 0 good ones"));

        // reviewed frames judged by the model now: good parts and defective ones
        List<String> good = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            good.add(upload(TestBundles.DEMO.good(1000 + i)));
            bad.add(upload(TestBundles.DEMO.defective(2000 + i, DemoDefect.values()[i % DemoDefect.values()
                    .length]).image()));
        }
        for (String id : good) {
            reviews.review(UUID.fromString(stored(id)), false, false, OPERATOR);
        }
        asAdmin().get("/api/v1/lines/line1/suggested-threshold").then().statusCode(409)
                .body("error", containsString("include 0 defective and 3 good ones"));
        for (String id : bad) {
            reviews.review(UUID.fromString(stored(id)), true, false, OPERATOR);
        }
        asAdmin().get("/api/v1/lines/line1/threshold-preview?threshold=12.5").then().statusCode(200)
                .body("reviewed", equalTo(6)).body("good", equalTo(3)).body("defective", equalTo(3))
                .body("okToNok", equalTo(0)).body("nokToOk", equalTo(0));
        // a threshold above every score turns each NOK frame OK: the false alarms and misses say how many
        var all = asAdmin().get("/api/v1/lines/line1/threshold-preview?threshold=999999").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(all.getInt("nokToOk"), 3 - all.getInt("current.misses") + all.getInt("current.falseAlarms"));
        assertEquals(3, all.getInt("proposed.misses"));
        assertEquals(0, all.getInt("proposed.falseAlarms"));
        asAdmin().get("/api/v1/lines/line1/suggested-threshold").then().statusCode(200)
                .body("good", equalTo(3)).body("defective", equalTo(3));

        // another model's scores do not count
        promote(b.id(), "{\"line\":\"line1\",\"threshold\":10}").statusCode(200);
        asAdmin().get("/api/v1/lines/line1/threshold-preview?threshold=5").then().body("reviewed", equalTo(0));
    }

    @Test
    void theRoiIsCheckedAgainstTheFrameRememberedAndInForce() throws Exception {
        upload(TestBundles.DEMO.good(3));
        asAdmin().get("/api/v1/cameras/cam1/roi").then().statusCode(200)
                .body("camera", equalTo(CAMERA)).body("line", equalTo(LINE)).body("configured", nullValue())
                .body("frameWidth", equalTo(TestBundles.SIDE));
        roi("{\"x\":0,\"y\":0,\"width\":100,\"height\":10}").statusCode(400)
                .body("error", equalTo("camera cam1: ROI 0,0,100,10 does not fit inside its 64x64 frame"));
        roi("{\"x\":0,\"y\":0,\"width\":10}").statusCode(400)
                .body("error", equalTo("a ROI needs x, y, width and height (whole frame pixels)"));
        roi("{\"x\":-1,\"y\":0,\"width\":10,\"height\":10}").statusCode(400)
                .body("error", equalTo("ROI needs x, y >= 0 and a positive size"));
        roi("{\"x\":8,\"y\":4,\"width\":32,\"height\":48}").statusCode(200)
                .body("inForce.x", equalTo(8)).body("inForce.height", equalTo(48));
        assertEquals(new io.dafedge.ingest.CameraSettings.Roi(8, 4, 32, 48), rois.load(CAMERA).orElseThrow());
        asAdmin().delete("/api/v1/cameras/cam1/roi").then().statusCode(200).body("inForce", nullValue());
        assertTrue(rois.load(CAMERA).isEmpty(), "the changed ROI is forgotten: the configured one applies again");
        asAdmin().get("/api/v1/cameras/nope/roi").then().statusCode(404);
    }

    private io.restassured.response.ValidatableResponse promote(String id, String body) {
        return asAdmin().contentType(ContentType.JSON).body(body).post("/api/v1/models/" + id + "/promote").then();
    }

    private io.restassured.response.ValidatableResponse threshold(String body) {
        return asAdmin().contentType(ContentType.JSON).body(body).put("/api/v1/lines/line1/threshold").then();
    }

    private io.restassured.response.ValidatableResponse roi(String body) {
        return asAdmin().contentType(ContentType.JSON).body(body).put("/api/v1/cameras/cam1/roi").then();
    }

    /** Uploads a frame to cam1 and returns its result id. */
    static String upload(Image image) {
        return asAdmin().contentType("image/png").body(ImageFiles.encodePng(image))
                .post("/api/v1/cameras/cam1/frames").then().statusCode(202).extract().path("resultId");
    }

    /** Waits until the inspection is in the database. */
    static String stored(String id) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (asAdmin().get("/api/v1/inspections/" + id).statusCode() != 200) {
            assertTrue(System.nanoTime() < end, "inspection " + id + " not stored");
            Thread.sleep(50);
        }
        return id;
    }
}
