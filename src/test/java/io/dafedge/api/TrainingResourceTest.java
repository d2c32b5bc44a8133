package io.dafedge.api;

import static io.dafedge.api.TestUsers.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.dafedge.security.Role;
import io.dafedge.security.Users;
import io.dafedge.synth.TestImages;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** /api/v1/training and /ui/training for every role, with a real run started and cancelled. */
@QuarkusTest
@TestProfile(TrainingProfile.class)
class TrainingResourceTest {
    static final String OPERATOR = "trainop";
    static final String OPERATOR_PASSWORD = "operator-password";
    static final String CSRF = "c".repeat(40);

    @Inject
    Users users;

    @BeforeEach
    void operator() {
        if (users.list().stream().noneMatch(u -> u.username().equals(OPERATOR))) {
            users.create(OPERATOR, OPERATOR_PASSWORD, Role.OPERATOR);
        }
    }

    static String body(String line, String strategy, Object minutes) {
        return "{\"line\": \"" + line + "\", \"strategy\": \"" + strategy + "\", \"minutes\": " + minutes + "}";
    }

    @Test
    void theApiAnswersOnlyEngineers() {
        String id = "00000000-0000-0000-0000-000000000000";
        given().get("/api/v1/training").then().statusCode(401);
        given().contentType(ContentType.JSON).body(body("line1", "perlin-texture", 1)).post("/api/v1/training")
                .then().statusCode(401);
        given().get("/api/v1/training/" + id).then().statusCode(401);
        given().post("/api/v1/training/" + id + "/cancel").then().statusCode(401);
        TestUsers.as(OPERATOR, OPERATOR_PASSWORD).get("/api/v1/training").then().statusCode(403);
        TestUsers.as(OPERATOR, OPERATOR_PASSWORD).contentType(ContentType.JSON)
                .body(body("line1", "perlin-texture", 1)).post("/api/v1/training").then().statusCode(403);
        TestUsers.as(OPERATOR, OPERATOR_PASSWORD).get("/api/v1/training/" + id).then().statusCode(403);
        TestUsers.as(OPERATOR, OPERATOR_PASSWORD).post("/api/v1/training/" + id + "/cancel").then().statusCode(403);
        asAdmin().get("/api/v1/training/" + id).then().statusCode(404).body("error", containsString(id));
        asAdmin().get("/api/v1/training/not-a-uuid").then().statusCode(404);
        asAdmin().post("/api/v1/training/" + id + "/cancel").then().statusCode(404);
    }

    @Test
    void anEngineerStartsFollowsAndCancelsARun() throws Exception {
        TestImages.teacher(); // skips without ../shared
        asAdmin().contentType(ContentType.JSON).body("{\"line\": \"line1\"}").post("/api/v1/training").then()
                .statusCode(400).body("error", containsString("strategies: perlin-texture"));
        asAdmin().contentType(ContentType.JSON).body(body("nowhere", "perlin-texture", 1)).post("/api/v1/training")
                .then().statusCode(400).body("error", containsString("no line 'nowhere'"));
        asAdmin().contentType(ContentType.JSON).body(body("line1", "perlin-texture", 500)).post("/api/v1/training")
                .then().statusCode(400).body("error", containsString("1 to 240 minutes"));
        TrainingProfile.collect(20);
        Response started = asAdmin().contentType(ContentType.JSON).body(body("line1", "perlin-texture", 1))
                .post("/api/v1/training");
        started.then().statusCode(202).body("state", equalTo("QUEUED")).body("line", equalTo("line1"))
                .body("startedBy", equalTo("admin"));
        String id = started.path("id");
        try {
            asAdmin().contentType(ContentType.JSON).body(body("line1", "cutpaste", 1)).post("/api/v1/training")
                    .then().statusCode(409).body("error", containsString(id));
            asAdmin().get("/api/v1/training").then().statusCode(200).body("id", hasItem(id));
            asAdmin().get("/api/v1/training/" + id).then().statusCode(200).body("id", equalTo(id))
                    .body("minutes", equalTo(1.0f));
            // the page: engineer only, the run with its bar, a start refused while it runs
            String session = login(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);
            String page = given().cookie("daf-session", session).get("/ui/training").then().statusCode(200)
                    .extract().asString();
            for (String element : List.of("training-form", "training-line", "training-strategy", "training-minutes",
                    "training-start", "training-progress", "training-eta", "training-losses", "training-state",
                    "training-cancel", "href=\"/ui/models\"")) {
                assertTrue(page.contains(element), element);
            }
            assertTrue(page.contains("id=\"training-start\" disabled"), "no start while a run is under way");
            given().cookie("daf-session", session).get("/ui/training/current").then().statusCode(200)
                    .body("id", equalTo(id));
            given().cookie("daf-session", session).cookie("daf-csrf", CSRF).formParam("csrf", CSRF)
                    .formParam("line", "line1").formParam("strategy", "perlin-texture").formParam("minutes", "1")
                    .redirects().follow(false).post("/ui/training").then().statusCode(409)
                    .body(containsString("one model at a time"));
            given().cookie("daf-session", session).formParam("line", "line1").redirects().follow(false)
                    .post("/ui/training").then().statusCode(403);
            String operator = login(OPERATOR, OPERATOR_PASSWORD);
            given().cookie("daf-session", operator).get("/ui/training").then().statusCode(403);
            given().cookie("daf-session", operator).get("/ui/training/current").then().statusCode(403);
        } finally {
            asAdmin().post("/api/v1/training/" + id + "/cancel").then().statusCode(200).body("id", equalTo(id));
        }
        String state = null;
        for (int i = 0; i < 300 && !"CANCELLED".equals(state); i++) {
            Thread.sleep(200);
            state = asAdmin().get("/api/v1/training/" + id).path("state");
        }
        assertEquals("CANCELLED", state);
        Path models = TrainingProfile.DATA.resolve("models");
        if (Files.isDirectory(models)) {
            try (Stream<Path> left = Files.list(models)) {
                assertEquals(List.of(), left.toList(), "no bundle left behind");
            }
        }
        asAdmin().post("/api/v1/training/" + id + "/cancel").then().statusCode(409)
                .body("error", containsString("already ended"));
    }

    /** Logs in through the form and returns the session cookie. */
    static String login(String user, String password) {
        return given().formParam("j_username", user).formParam("j_password", password).redirects().follow(false)
                .post("/j_security_check").then().statusCode(302).extract().cookie("daf-session");
    }
}
