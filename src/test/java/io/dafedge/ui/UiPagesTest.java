package io.dafedge.ui;

import static io.dafedge.api.TestUsers.ADMIN;
import static io.dafedge.api.TestUsers.ADMIN_PASSWORD;
import static io.dafedge.api.TestUsers.as;
import static io.dafedge.api.TestUsers.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.dafedge.inspect.InspectionResult;
import io.dafedge.inspect.Verdict;
import io.dafedge.security.Role;
import io.dafedge.security.Users;
import io.dafedge.store.ResultRepository;
import io.dafedge.store.Reviews;
import io.dafedge.synth.Image;
import io.dafedge.synth.ImageFiles;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;

/**
 * The pages over a real form login: who may open which page, the CSRF guard on their forms, and the review of a
 * stored inspection from the page to the labelled set and the training material.
 */
@QuarkusTest
class UiPagesTest {
    static final String OPERATOR = "op-" + UUID.randomUUID().toString().substring(0, 8);
    static final String OPERATOR_PASSWORD = "operator-password";

    @Inject
    Users users;
    @Inject
    ResultRepository results;
    @Inject
    Reviews reviews;

    /** Logs in through the login form; returns the session cookie's value. */
    static String login(String user, String password) {
        Response r = given().redirects().follow(false).formParam("j_username", user).formParam("j_password", password)
                .post("/j_security_check");
        assertEquals(302, r.statusCode(), "login of " + user);
        assertTrue(r.header("Location").endsWith("/ui"), r.header("Location"));
        String session = r.cookie("daf-session");
        assertNotNull(session, "session cookie");
        return session;
    }

    /** A page's CSRF token: set as a cookie with the page, and in its meta tag. */
    static String csrf(String session, String page) {
        Response r = given().cookie("daf-session", session).get(page);
        r.then().statusCode(200);
        String cookie = r.cookie(Csrf.COOKIE);
        assertNotNull(cookie, "CSRF cookie with " + page);
        assertTrue(r.asString().contains("<meta name=\"csrf-token\" content=\"" + cookie + "\">"));
        return cookie;
    }

    @BeforeAll
    static void operator() {
        io.quarkus.arc.Arc.container().instance(Users.class).get().create(OPERATOR, OPERATOR_PASSWORD, Role.OPERATOR);
    }

    private UUID storedInspection(Verdict verdict) throws Exception {
        UUID id = UUID.randomUUID();
        Image image = new Image(8, 8, 1);
        byte[] png = ImageFiles.encodePng(image);
        Instant now = Instant.now();
        boolean judged = verdict != Verdict.UNKNOWN;
        results.saveAll(List.of(new InspectionResult(id, "cam-ui", "line-ui", "part-1", now, now, verdict,
                judged ? 2.5f : null, judged ? 3f : null, judged ? "model-ui" : null, judged ? 1 : null, List.of(), 0,
                png, png, 1, 2, 3)));
        return id;
    }

    @Test
    void pagesNeedALoginAndTheWrongPasswordIsRefused() {
        given().redirects().follow(false).get("/ui").then().statusCode(302)
                .header("Location", endsWith("/ui/login"));
        given().redirects().follow(false).get("/ui/history").then().statusCode(302);
        given().redirects().follow(false).formParam("j_username", ADMIN).formParam("j_password", "wrong-password")
                .post("/j_security_check").then().statusCode(302).header("Location", containsString("error=true"));
        given().get("/ui/login?error=true").then().statusCode(200).body(containsString("id=\"login-error\""));
        given().get("/ui/setup").then().statusCode(200).body(containsString("id=\"login-form\""));
    }

    @Test
    void anOperatorSeesTheLineHistoryAndReviewButNotTheEngineersPages() {
        String session = login(OPERATOR, OPERATOR_PASSWORD);
        for (String page : List.of("/ui", "/ui/history", "/ui/review")) {
            given().cookie("daf-session", session).get(page).then().statusCode(200)
                    .body(containsString(OPERATOR + " (operator)")).body(not(containsString("id=\"nav-users\"")));
        }
        given().cookie("daf-session", session).get("/ui/users").then().statusCode(403)
                .contentType(containsString("text/html")).body(containsString("id=\"error-message\""));
        as(OPERATOR, OPERATOR_PASSWORD).get("/api/v1/nothing-here").then().statusCode(404)
                .contentType(containsString("json"));
        given().cookie("daf-session", session).get("/ui/inspections/" + UUID.randomUUID()).then().statusCode(404)
                .body(containsString("reload in a moment"));
        String engineer = login(ADMIN, ADMIN_PASSWORD);
        given().cookie("daf-session", engineer).get("/ui/users").then().statusCode(200)
                .body(containsString("id=\"user-" + OPERATOR + "\""));
    }

    @Test
    void theLineViewStreamsTheCamerasAsServerSentEvents() throws Exception {
        String session = login(OPERATOR, OPERATOR_PASSWORD);
        var client = java.net.http.HttpClient.newHttpClient();
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "http://localhost:" + io.restassured.RestAssured.port + "/ui/events"))
                .header("Cookie", "daf-session=" + session).header("Accept", "text/event-stream").build();
        var response = client.send(request, java.net.http.HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, response.statusCode());
        try (var lines = response.body()) {
            String first = lines.filter(l -> l.startsWith("data:")).findFirst().orElseThrow();
            assertTrue(first.contains("\"cameras\"") && first.contains("\"lines\""), first);
        }
    }

    @Test
    void reviewFormsNeedTheCsrfTokenOfTheirPage() throws Exception {
        UUID id = storedInspection(Verdict.OK);
        String session = login(OPERATOR, OPERATOR_PASSWORD);
        given().cookie("daf-session", session).redirects().follow(false).formParam("label", "good")
                .post("/ui/inspections/" + id + "/review").then().statusCode(403);
        String token = csrf(session, "/ui/inspections/" + id);
        given().cookie("daf-session", session).cookie(Csrf.COOKIE, token).redirects().follow(false)
                .formParam("label", "good").formParam(Csrf.FIELD, "forged-" + token)
                .post("/ui/inspections/" + id + "/review").then().statusCode(403);
        assertTrue(reviews.find(id).isEmpty(), "a refused form changes nothing");
    }

    @Test
    void anOperatorReviewsAFrameFromTheReviewPageAndKeepsItForTraining() throws Exception {
        UUID id = storedInspection(Verdict.OK);
        String session = login(OPERATOR, OPERATOR_PASSWORD);
        String token = csrf(session, "/ui/review?line=line-ui");
        given().cookie("daf-session", session).get("/ui/review?line=line-ui").then()
                .body(containsString("id=\"right-" + id + "\""));
        given().cookie("daf-session", session).cookie(Csrf.COOKIE, token).redirects().follow(false)
                .formParam(Csrf.FIELD, token).formParam("label", "good").formParam("training", "true")
                .formParam("next", "/ui/review").post("/ui/inspections/" + id + "/review").then().statusCode(303)
                .header("Location", endsWith("/ui/review"));
        Reviews.Labelled r = reviews.find(id).orElseThrow();
        assertFalse(r.defective());
        assertEquals(Boolean.TRUE, r.verdictCorrect());
        assertTrue(r.trainingMaterial());
        assertEquals(OPERATOR, r.reviewer());
        assertArrayEquals(results.picture(id, ResultRepository.Picture.THUMBNAIL).orElseThrow(),
                Files.readAllBytes(reviews.trainingFile("line-ui", id)));
        given().cookie("daf-session", session).get("/ui/inspections/" + id).then().statusCode(200)
                .body(containsString("kept as training material"));
        given().cookie("daf-session", session).get("/ui/inspections/" + id + "/heatmap.png").then().statusCode(200)
                .contentType("image/png");
        given().cookie("daf-session", session).get("/ui/inspections/" + id + "/other.png").then().statusCode(404);
        given().cookie("daf-session", session).get("/ui/review?line=line-ui").then()
                .body(not(containsString("id=\"right-" + id + "\"")));
        // a wrong verdict: the part was defective, so it cannot stay training material
        given().cookie("daf-session", session).cookie(Csrf.COOKIE, token).redirects().follow(false)
                .formParam(Csrf.FIELD, token).formParam("label", "defective").formParam("training", "true")
                .post("/ui/inspections/" + id + "/review").then().statusCode(303)
                .header("Location", containsString("error="));
        assertTrue(reviews.find(id).orElseThrow().trainingMaterial(), "a refused change leaves the review as it was");
    }

    @Test
    void aTrainingFrameThatCannotBeWrittenLeavesNoReview() throws Exception {
        UUID id = storedInspection(Verdict.OK);
        java.nio.file.Path blocked = reviews.trainingFile("line-ui", id).getParent();
        Files.createDirectories(blocked.getParent());
        Files.deleteIfExists(blocked.resolve("review-" + id + ".png"));
        java.nio.file.Path moved = blocked.resolveSibling("collected-moved-" + id);
        if (Files.exists(blocked)) {
            Files.move(blocked, moved);
        }
        Files.writeString(blocked, "a file where the folder should be");
        try {
            as(OPERATOR, OPERATOR_PASSWORD).contentType("application/json")
                    .body("{\"defective\": false, \"trainingMaterial\": true}")
                    .post("/api/v1/inspections/" + id + "/review").then().statusCode(500)
                    .body("error", containsString("nothing was recorded"));
            assertTrue(reviews.find(id).isEmpty(), "no review claims a training frame that is not there");
        } finally {
            Files.delete(blocked);
            if (Files.exists(moved)) {
                Files.move(moved, blocked);
            }
        }
    }

    @Test
    void theApiRecordsReviewsForOperatorsOverBasicAuthOnly() throws Exception {
        UUID id = storedInspection(Verdict.NOK);
        String session = login(OPERATOR, OPERATOR_PASSWORD);
        given().cookie("daf-session", session).get("/api/v1/inspections/" + id).then().statusCode(401);
        as(OPERATOR, OPERATOR_PASSWORD).contentType("application/json").body("{\"defective\": false}")
                .post("/api/v1/inspections/" + id + "/review").then().statusCode(200)
                .body("verdictCorrect", equalTo(false)).body("reviewer", equalTo(OPERATOR));
        asAdmin().get("/api/v1/inspections/" + id + "/review").then().statusCode(200).body("defective", equalTo(false));
        asAdmin().contentType("application/json").body("{}").post("/api/v1/inspections/" + id + "/review").then()
                .statusCode(400);
        asAdmin().get("/api/v1/inspections/" + UUID.randomUUID() + "/review").then().statusCode(404);
    }
}
