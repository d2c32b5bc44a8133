package io.dafedge.ui;

import static io.dafedge.api.EngineeringProfile.LINE;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.dafedge.DafConfig;
import io.dafedge.api.EngineeringProfile;
import io.dafedge.model.ModelBundle;
import io.dafedge.model.TestBundles;
import io.dafedge.api.TestUsers;
import io.dafedge.security.Role;
import io.dafedge.security.Users;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;

/**
 * The models and settings pages over the form login: they render for an engineer with the ids the browser tests
 * use, their forms need the CSRF token, and their refusals are readable.
 */
@QuarkusTest
@TestProfile(EngineeringPagesTest.Profile.class)
class EngineeringPagesTest {
    /** A data folder of its own: this test promotes models on the line, as the API test does. */
    public static class Profile extends EngineeringProfile {
    }

    /** Any token of the right length: the check compares the cookie with the form field or header. */
    private static final String TOKEN = "t".repeat(43);
    private static final String OPERATOR = "pages-operator";
    private static final String OPERATOR_PASSWORD = "operator-password";

    @Inject
    Users users;
    @Inject
    DafConfig config;

    private static String login(String user, String password) {
        return given().redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("j_username", user).formParam("j_password", password)
                .post("/j_security_check").then().statusCode(302).extract().cookie("daf-session");
    }

    private static RequestSpecification asAdmin() {
        return given().redirects().follow(false).cookie("daf-session", login(TestUsers.ADMIN,
                TestUsers.ADMIN_PASSWORD));
    }

    @Test
    void theModelsPageRendersTheBundlesAndLines() {
        asAdmin().get("/ui/models").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("<title>Models · daf-edge</title>"))
                .body(containsString("id=\"models-table\""))
                .body(containsString("id=\"active-" + EngineeringProfile.LINE + "\""))
                .body(containsString("id=\"rollback-" + EngineeringProfile.LINE + "\""))
                .body(containsString(Times.shown(java.time.Instant.EPOCH).substring(19))); // times in the box's zone
    }

    @Test
    void theSettingsPageRendersTheRoiEditorPerCamera() {
        asAdmin().get("/ui/settings").then().statusCode(200)
                .body(containsString("<title>Settings · daf-edge</title>"))
                .body(containsString("id=\"roi-canvas-" + EngineeringProfile.CAMERA + "\""))
                .body(containsString("id=\"roi-save-" + EngineeringProfile.CAMERA + "\""))
                .body(containsString("id=\"roi-reset-" + EngineeringProfile.CAMERA + "\""))
                .body(containsString("trained on\n    frames cropped as they are now"));
    }

    @Test
    void formsNeedTheCsrfTokenAndRefusalsAreShownOnThePage() {
        RequestSpecification admin = asAdmin();
        admin.contentType(ContentType.URLENC).formParam("line", EngineeringProfile.LINE).formParam("threshold", "5")
                .post("/ui/models/no-such-model/promote").then().statusCode(403);
        admin.cookie("daf-csrf", TOKEN).formParam("csrf", TOKEN).post("/ui/models/no-such-model/promote").then()
                .statusCode(404).body(containsString("id=\"models-error\">no known model &#39;no-such-model&#39;"));
        asAdmin().cookie("daf-csrf", TOKEN).header("X-CSRF-Token", TOKEN).contentType(ContentType.JSON)
                .body("{\"threshold\":\"x\"}").post("/ui/settings/lines/" + EngineeringProfile.LINE + "/threshold")
                .then().statusCode(400);
        asAdmin().get("/ui/settings/lines/line9/threshold-preview?threshold=1").then().statusCode(404)
                .contentType(ContentType.JSON).body("error", equalTo("no line 'line9' (lines: [line1])"));
    }

    @Test
    void promoteRollBackAndSetTheThresholdThroughThePages() throws Exception {
        Path models = config.dataDir().resolve("models");
        ModelBundle a = TestBundles.padim(models.resolve("page-a"), 5);
        TestBundles.copy(a, models.resolve("page-b"), "page-b", ModelBundle.JSON.createObjectNode()
                .put("threshold", 3.0));
        asAdmin().get("/ui/models").then().statusCode(200)
                .body(containsString("id=\"promote-" + a.id() + "\""))
                .body(containsString("id=\"promote-line-" + a.id() + "\""))
                .body(containsString("id=\"promote-threshold-" + a.id() + "\""));
        form().formParam("line", LINE).formParam("threshold", "10").post("/ui/models/" + a.id() + "/promote")
                .then().statusCode(303).header("Location", containsString("/ui/models?notice="));
        form().formParam("line", LINE).formParam("threshold", "").post("/ui/models/page-b/promote")
                .then().statusCode(303);
        asAdmin().get("/ui/models").then().statusCode(200)
                .body(containsString("id=\"active-line1\"><code>page-b</code>"));
        form().post("/ui/models/lines/line1/rollback").then().statusCode(303);
        asAdmin().get("/ui/models").then().statusCode(200)
                .body(containsString("id=\"active-line1\"><code>" + a.id() + "</code>"));

        asAdmin().get("/ui/settings").then().statusCode(200)
                .body(containsString("id=\"threshold-line1\""))
                .body(containsString("id=\"threshold-save-line1\""))
                .body(containsString("id=\"threshold-preview-line1\""))
                .body(containsString("id=\"threshold-suggest-line1\""));
        asAdmin().cookie("daf-csrf", TOKEN).header("X-CSRF-Token", TOKEN).contentType(ContentType.JSON)
                .body("{\"threshold\":11}").post("/ui/settings/lines/line1/threshold").then().statusCode(200)
                .body("threshold", equalTo(11f)).body("modelId", equalTo(a.id()));
        asAdmin().get("/ui/settings/lines/line1/threshold-preview?threshold=12").then().statusCode(200)
                .body("reviewed", equalTo(0));
    }

    /** A page form from an engineer, with its CSRF token. */
    private static RequestSpecification form() {
        return asAdmin().cookie("daf-csrf", TOKEN).contentType(ContentType.URLENC).formParam("csrf", TOKEN);
    }

    @Test
    void anOperatorMayNotSeeThePagesNorAnyoneLoggedOut() {
        synchronized (EngineeringPagesTest.class) {
            if (users.list().stream().noneMatch(u -> u.username().equals(OPERATOR))) {
                users.create(OPERATOR, OPERATOR_PASSWORD, Role.OPERATOR);
            }
        }
        String operator = login(OPERATOR, OPERATOR_PASSWORD);
        for (String page : new String[] {"/ui/models", "/ui/settings", "/ui/settings/cameras/cam1/frame.png"}) {
            given().redirects().follow(false).cookie("daf-session", operator).get(page).then().statusCode(403);
            given().redirects().follow(false).get(page).then().statusCode(302);
        }
    }
}
