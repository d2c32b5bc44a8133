package io.dafedge.ui;

import static io.dafedge.api.EndToEnd.DEMO;
import static io.dafedge.api.EndToEnd.awaitListed;
import static io.dafedge.api.EndToEnd.upload;
import static io.dafedge.api.TestUsers.ADMIN;
import static io.dafedge.api.TestUsers.ADMIN_PASSWORD;
import static io.dafedge.api.TestUsers.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import io.dafedge.api.LineWithModel;
import io.dafedge.security.Role;
import io.dafedge.security.Users;
import io.dafedge.store.Reviews;
import io.dafedge.synth.CutPasteStrategy;
import io.dafedge.synth.ImageFiles;
import io.dafedge.synth.TestImages;
import io.dafedge.synth.demo.DemoDefect;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * The pages in a real browser against an appliance with a real model: a frame uploaded to the line arrives live on
 * the line view, is reviewed from there and found in the history; good frames are kept as training material from the
 * review page; logging out, a wrong password, and what an operator may not see; an engineer tunes the line's
 * threshold and a camera's ROI, trains a model on site, promotes it and rolls it back.
 */
@QuarkusTest
@QuarkusTestResource(value = LineWithModel.class, restrictToAnnotatedClass = true)
@TestProfile(PagesInBrowserTest.Profile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PagesInBrowserTest {
    /** Good demo parts in line1's collected folder: at least daf.training.min-images. */
    static final int TRAINING_FRAMES = 20;
    /** A one-minute run on a loaded 2-core machine: caching the teacher's features, training, the evaluation. */
    static final Duration TRAINING = Duration.ofMinutes(4);

    /**
     * Every good frame keeps its pictures (the appliance samples one in 50), so there are good frames to review; the
     * shared teacher and 128-px models, so a run can be trained, and in little time.
     */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(Map.of("daf.store.ok-sample-every", "1",
                    "daf.training.size", "128"));
            Path shared = TestImages.shared();
            if (shared != null) {
                config.put("daf.teacher", shared.resolve("models/mobilenetv2-float-from-int8_feat.onnx").toString());
            }
            return config;
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
    @Order(1)
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
    @Order(2)
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

    /** Last: it leaves line1 with another threshold, which the other tests' verdicts depend on. */
    @Test
    @Order(3)
    void anEngineerTunesTheLineTrainsAModelOnSitePromotesItAndRollsItBack(TestInfo info) throws Exception {
        Path collected = Files.createDirectories(Path.of(ConfigProvider.getConfig().getValue("daf.data-dir",
                String.class), "lines", "line1", "collected"));
        for (int i = 0; i < TRAINING_FRAMES; i++) {
            ImageFiles.writePng(collected.resolve(String.format("demo-%02d.png", i)), DEMO.good(7_300_000 + i));
        }
        // reviewed frames of both kinds judged by line1's model: for the preview, the suggestion and the evaluation
        String good = upload(ImageFiles.encodePng(DEMO.good(7_200_004)), "browser-ok-3");
        String bad = upload(ImageFiles.encodePng(DEMO.defective(7_000_002, DemoDefect.STAIN).image()),
                "browser-nok-2");
        awaitListed(good);
        awaitListed(bad);
        review(good, false);
        double badScore = review(bad, true);
        asAdmin().get("/api/v1/inspections/" + bad).then().body("verdict", equalTo("NOK"));
        Map<String, Object> before = line1();
        String firstModel = (String) before.get("modelId");

        try (Browser b = browser(info)) {
            b.login(ADMIN, ADMIN_PASSWORD);
            b.submit("nav-settings", "settings");
            b.awaitText("threshold-preview-line1", t -> t.startsWith("0 of"), "the preview of the threshold now");
            // just above the defective frame's score: its verdict would flip to OK
            String mine = String.format(Locale.ROOT, "%.6f", badScore + 1e-3);
            b.type("threshold-line1", mine);
            String preview = b.awaitText("threshold-preview-line1", t -> t.matches(".*\\b[1-9]\\d* NOK→OK.*"),
                    "the preview of the typed threshold: a defective frame let through");
            b.shot("settings-preview");
            b.click("threshold-suggest-line1");
            b.awaitText("threshold-status-line1", t -> t.matches("Suggested from \\d+ defective and \\d+ good .*"),
                    "the suggested threshold");
            String typed = b.awaitValue("threshold-line1", v -> !v.equals(mine), "the suggestion in the field");
            b.awaitText("threshold-preview-line1", t -> !t.equals(preview), "the suggestion's preview");
            b.shot("settings-suggested");
            b.click("threshold-save-line1");
            b.awaitText("threshold-status-line1", t -> t.startsWith("Saved: line line1"), "the threshold saved");
            b.shot("settings-saved");
            float saved = Float.parseFloat(typed);
            assertEquals(saved, ((Number) line1().get("threshold")).floatValue(), 1e-6f * Math.abs(saved),
                    "line1's threshold in the API");
            assertEquals(saved, Float.parseFloat(b.text("threshold-now-line1")), 1e-6f * Math.abs(saved));

            // the ROI editor draws cam1's latest frame and fills in the whole frame as the ROI in force
            String width = b.awaitValue("roi-w-cam1", v -> !v.isEmpty(), "cam1's frame on the ROI canvas");
            String height = b.value("roi-h-cam1");
            assertEquals("whole frame", b.text("roi-now-cam1"));
            b.drag("roi-canvas-cam1", 0.25, 0.25, 0.75, 0.75);
            b.awaitValue("roi-w-cam1", v -> !v.equals(width), "the dragged rectangle in the ROI's fields");
            String drawn = String.join(",", b.value("roi-x-cam1"), b.value("roi-y-cam1"), b.value("roi-w-cam1"),
                    b.value("roi-h-cam1"));
            int w = Integer.parseInt(b.value("roi-w-cam1"));
            assertTrue(Math.abs(w - Integer.parseInt(width) / 2) <= 3, "half the frame's width dragged: " + drawn);
            b.shot("roi-drawn");
            b.click("roi-save-cam1");
            b.awaitText("roi-now-cam1", t -> t.equals(drawn), "the dragged ROI in force");
            asAdmin().get("/api/v1/cameras/cam1/roi").then().statusCode(200).body("inForce.width", equalTo(w));
            b.shot("roi-saved");
            b.click("roi-reset-cam1");
            b.awaitText("roi-now-cam1", t -> t.equals("whole frame"), "back on the configured ROI: the whole frame");
            assertEquals(List.of("0", "0", width, height), List.of(b.value("roi-x-cam1"), b.value("roi-y-cam1"),
                    b.value("roi-w-cam1"), b.value("roi-h-cam1")));
            asAdmin().get("/api/v1/cameras/cam1/roi").then().statusCode(200).body("inForce", nullValue());
            b.shot("roi-whole-frame");
            // the hot-folder camera has had no frame: its editor says so, the browser logs the refused picture
            assertTrue(b.text("roi-status-hot").contains("has delivered no frame yet"), b.text("roi-status-hot"));
            assertEquals(List.of(), b.consoleErrors().stream().filter(e -> !e.contains("/cameras/hot/frame.png"))
                    .toList(), "the browser's console on the settings page");

            b.submit("nav-training", "training");
            String cancelled = startRun(b);
            b.submit("training-cancel", "training-cancelling");
            b.awaitText("training-state", t -> t.equals("CANCELLED"), "the run cancelled", TRAINING);
            b.awaitText("training-run-" + cancelled, t -> t.contains("cancelled by " + ADMIN),
                    "who cancelled the run, in the list");
            b.shot("training-cancelled");

            String run = startRun(b);
            // the page follows the run by itself: a mark on this document would not survive a reload
            b.script("window.sameDocument = true;");
            b.awaitAttribute("training-progress", "aria-valuenow", v -> Integer.parseInt(v) > 0, "progress");
            b.awaitText("training-eta", t -> t.matches("\\d+ min \\d\\d s"), "the time left");
            String losses = b.awaitText("training-losses", t -> t.startsWith("total "), "the first losses",
                    TRAINING);
            b.awaitText("training-losses", t -> t.startsWith("total ") && !t.equals(losses), "newer losses",
                    TRAINING);
            assertEquals(Boolean.TRUE, b.script("return window.sameDocument === true;"), "updated without a reload");
            b.shot("training-progress");
            b.awaitText("training-state", t -> t.equals("SUCCEEDED"), "the run to succeed", TRAINING);
            String evaluation = b.awaitText("training-run-" + run, t -> t.contains("AUROC"),
                    "the run's evaluation in the list");
            b.shot("training-succeeded");
            String model = asAdmin().get("/api/v1/training/" + run).then().statusCode(200)
                    .body("state", equalTo("SUCCEEDED")).extract().path("modelId");
            assertTrue(evaluation.contains(shortId(model)) && evaluation.contains(shortId(firstModel)),
                    "the new model's evaluation next to the active one's: " + evaluation);

            b.submit("nav-models", "models");
            Number recorded = asAdmin().get("/api/v1/models").then().statusCode(200).extract()
                    .path("find { it.summary.id == '" + model + "' }.summary.threshold");
            assertNotNull(recorded, "the trained bundle records its threshold");
            String listed = b.visible("model-" + model).getText();
            assertTrue(listed.contains("daf") && listed.contains("reviewed_image_auroc"),
                    "the bundle listed with its metrics: " + listed);
            assertEquals(recorded.doubleValue(), Double.parseDouble(b.attribute("promote-threshold-" + model,
                    "placeholder")), 1e-6 * recorded.doubleValue(), "the promotion's default threshold");
            b.select("promote-line-" + model, "line1").submit("promote-" + model, "models-promoted");
            assertTrue(b.text("models-notice").contains(model), b.text("models-notice"));
            assertTrue(b.text("active-line1").contains(model), b.text("active-line1"));
            Map<String, Object> promoted = line1();
            assertEquals(model, promoted.get("modelId"));
            assertEquals(recorded.floatValue(), ((Number) promoted.get("threshold")).floatValue(),
                    1e-6f * recorded.floatValue());

            b.submit("rollback-line1", "models-rolled-back");
            assertTrue(b.text("models-notice").contains("back on model " + firstModel), b.text("models-notice"));
            assertTrue(b.text("active-line1").contains(firstModel), b.text("active-line1"));
            Map<String, Object> after = line1();
            assertEquals(firstModel, after.get("modelId"));
            assertEquals(saved, ((Number) after.get("threshold")).floatValue(), 1e-6f * Math.abs(saved));
            assertEquals(List.of(), b.consoleErrors(), "the browser's console");
        }
    }

    /** Starts a one-minute run on line1 from the Training page's form, waits until it runs and returns its id. */
    private static String startRun(Browser b) {
        b.select("training-line", "line1").select("training-strategy", CutPasteStrategy.PATCH)
                .type("training-minutes", "1");
        b.shot("training-form");
        b.submit("training-start", "training-started");
        String run = b.attribute("training-current", "data-run");
        b.awaitText("training-state", t -> t.equals("RUNNING"), "the run running");
        return run;
    }

    /** How the runs list names a model. */
    private static String shortId(String model) {
        return model.substring(0, Math.min(8, model.length()));
    }

    /** Reviews a frame as an engineer would on the review page and returns its score. */
    private static double review(String id, boolean defective) {
        asAdmin().contentType("application/json").body(Map.of("defective", defective, "trainingMaterial", false))
                .post("/api/v1/inspections/" + id + "/review").then().statusCode(200);
        return asAdmin().get("/api/v1/inspections/" + id).then().statusCode(200).extract().<Number>path("score")
                .doubleValue();
    }

    private static Map<String, Object> line1() {
        return asAdmin().get("/api/v1/lines").then().statusCode(200).extract().path("find { it.id == 'line1' }");
    }
}
