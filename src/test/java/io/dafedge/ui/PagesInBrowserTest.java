package io.dafedge.ui;

import static io.dafedge.api.EndToEnd.DEMO;
import static io.dafedge.api.EndToEnd.awaitListed;
import static io.dafedge.api.EndToEnd.upload;
import static io.dafedge.api.TestUsers.ADMIN;
import static io.dafedge.api.TestUsers.ADMIN_PASSWORD;
import static io.dafedge.api.TestUsers.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URL;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import io.dafedge.api.LineWithModel;
import io.dafedge.security.Role;
import io.dafedge.security.Users;
import io.dafedge.store.Reviews;
import io.dafedge.synth.ImageFiles;
import io.dafedge.synth.demo.DemoDefect;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * The operators' pages in a real browser against an appliance with a real model: a frame uploaded to the line
 * arrives live on the line view, is reviewed from there and found in the history; good frames are kept as training
 * material from the review page; logging out, a wrong password, and what an operator may not see.
 */
@QuarkusTest
@QuarkusTestResource(value = LineWithModel.class, restrictToAnnotatedClass = true)
@TestProfile(PagesInBrowserTest.GoodFramesKept.class)
class PagesInBrowserTest {
    /** Every good frame keeps its pictures (the appliance samples one in 50), so there are good frames to review. */
    public static class GoodFramesKept implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("daf.store.ok-sample-every", "1");
        }
    }

    @TestHTTPResource("/")
    URL base;
    @Inject
    Users users;
    @Inject
    Reviews reviews;

    @BeforeAll
    static void lineWithModel() {
        assumeTrue(ConfigProvider.getConfig().getOptionalValue("daf.lines.line1.model", String.class).isPresent(),
                "../shared not present: no model for the test line");
    }

    private Browser browser(TestInfo info) throws Exception {
        return Browser.start(base.toURI(), info.getTestMethod().orElseThrow().getName());
    }

    @Test
    void anEngineerSeesADefectiveFrameArriveLiveReviewsItAndFindsItInTheHistory(TestInfo info) throws Exception {
        try (Browser b = browser(info)) {
            b.login(ADMIN, ADMIN_PASSWORD);
            b.await(ExpectedConditions.textToBe(By.id("live-state"), "live"), "the line view's live connection");
            b.shot("line-view");

            String id = upload(ImageFiles.encodePng(DEMO.defective(7_000_001, DemoDefect.STAIN).image()),
                    "browser-nok-1");
            b.await(ExpectedConditions.attributeToBe(By.id("verdict-cam1"), "data-result-id", id),
                    "result " + id + " on camera cam1's card");
            assertEquals("NOK", b.text("verdict-cam1"), "the model's verdict on a stained flange");
            b.await(d -> b.pictureShown("latest-cam1"), "the latest picture of cam1 to be shown");
            assertTrue(b.attribute("latest-cam1", "src").endsWith("r=" + id), b.attribute("latest-cam1", "src"));
            assertTrue(b.text("score-cam1").contains("threshold"), b.text("score-cam1"));
            assertFalse(b.text("regions-cam1").equals("none"), "a NOK frame shows its regions");
            b.shot("line-view-nok");

            assertTrue(b.attribute("review-cam1", "href").endsWith("/ui/inspections/" + id));
            // the store writes in batches; an operator's click takes longer than that
            awaitListed(id);
            b.submit("review-cam1", "inspection");
            assertEquals(id, b.text("inspection-id"));
            assertEquals("NOK", b.text("inspection-verdict"));
            assertEquals("Not reviewed yet.", b.text("review-state"));
            assertTrue(b.pictureShown("inspection-image") && b.pictureShown("inspection-heatmap"),
                    "the inspected image and its heat map: " + b.brokenPictures(null));

            b.submit("right-" + id, "inspection-reviewed");
            assertEquals("/ui/inspections/" + id, b.path());
            String state = b.text("review-state");
            assertTrue(state.startsWith("Reviewed by " + ADMIN) && state.contains("the part is defective")
                    && state.contains("the verdict was right"), state);
            asAdmin().get("/api/v1/inspections/" + id + "/review").then().statusCode(200)
                    .body("defective", equalTo(true)).body("verdictCorrect", equalTo(true));

            String good = upload(ImageFiles.encodePng(DEMO.good(7_200_003)), "browser-ok-2");
            awaitListed(good);
            b.submit("nav-history", "history");
            assertTrue(b.present("history-table") && !rows(b, good).isEmpty(), "the unfiltered history lists " + good);
            new Select(b.visible("filter-verdict")).selectByValue("NOK");
            new Select(b.visible("filter-camera")).selectByValue("cam1");
            b.submit("filter-apply", "history-nok");
            assertTrue(b.url().contains("verdict=NOK") && b.url().contains("camera=cam1"), b.url());
            for (WebElement row : b.driver().findElements(By.cssSelector("#history-table tr.inspection"))) {
                assertEquals("NOK", row.findElement(By.cssSelector("td:nth-child(5)")).getText(), row.getText());
            }
            assertEquals(1, rows(b, id).size(), "the history lists the NOK frame " + id);
            assertEquals(List.of(), b.brokenPictures("history-table"), "thumbnails that did not load");
            assertEquals(List.of(), b.consoleErrors(), "the browser's console");

            b.submit("logout", "logged-out");
            assertEquals("/ui/login", b.path());
            b.visit("/ui", "line-view-after-logout");
            assertEquals("/ui/login", b.path(), "the session ended with the logout");

            b.type("username", ADMIN).type("password", "not-the-password").submit("login", "wrong-password");
            assertTrue(b.visible("login-error").getText().contains("not right"), b.text("login-error"));
            b.visit("/ui/history", "history-refused");
            assertEquals("/ui/login", b.path(), "a wrong password opens no page");
        }
    }

    private static List<WebElement> rows(Browser b, String id) {
        return b.driver().findElements(By.cssSelector("#history-table tr.inspection[data-id='" + id + "']"));
    }

    @Test
    void anOperatorKeepsAGoodFrameForTrainingFromTheReviewPageAndSeesNoEngineersPages(TestInfo info)
            throws Exception {
        String operator = "op-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "operator-password";
        users.create(operator, password, Role.OPERATOR);
        String id = upload(ImageFiles.encodePng(DEMO.good(7_200_002)), "browser-ok-1");
        awaitListed(id);
        asAdmin().get("/api/v1/inspections/" + id).then().body("verdict", equalTo("OK"));

        try (Browser b = browser(info)) {
            b.login(operator, password);
            assertEquals(operator + " (operator)", b.text("user"));
            for (String link : List.of("nav-line", "nav-history", "nav-review")) {
                assertTrue(b.present(link), link);
            }
            for (String link : List.of("nav-models", "nav-training", "nav-settings", "nav-users")) {
                assertFalse(b.present(link), "an operator is not shown " + link);
            }

            b.submit("nav-review", "review");
            b.visible("item-" + id);
            assertEquals(List.of(), b.brokenPictures("item-" + id), "the frame's picture");
            b.click("training-" + id);
            b.submit("right-" + id, "review-done");
            assertEquals("/ui/review", b.path());
            assertFalse(b.present("item-" + id), "a reviewed frame leaves the list");
            WebElement row = b.driver().findElement(By.cssSelector("#recent-reviews a[href='/ui/inspections/" + id
                    + "']")).findElement(By.xpath("./ancestor::tr"));
            assertTrue(row.getText().contains("good") && row.getText().contains("right")
                    && row.getText().contains("yes") && row.getText().contains(operator), row.getText());
            Reviews.Labelled r = reviews.find(UUID.fromString(id)).orElseThrow();
            assertTrue(r.trainingMaterial() && !r.defective());
            assertTrue(Files.isRegularFile(reviews.trainingFile("line1", UUID.fromString(id))),
                    "the training frame is written");
            assertEquals(List.of(), b.consoleErrors(), "the browser's console");

            b.visit("/ui/users", "users-refused");
            assertEquals(403, b.status(), "an operator may not open the users' page");
            b.await(ExpectedConditions.textToBePresentInElementLocated(By.id("error-message"), "for engineers"),
                    "the refusal explained");
        }
    }
}
