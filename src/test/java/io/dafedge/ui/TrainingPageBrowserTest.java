package io.dafedge.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.dafedge.api.TestUsers;
import io.dafedge.api.TrainingProfile;
import io.dafedge.synth.TestImages;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The Training page in Chromium: start a run from the form, watch its progress arrive, cancel it. */
@QuarkusTest
@TestProfile(TrainingProfile.class)
class TrainingPageBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @TestHTTPResource("/")
    URL base;

    @Test
    void startsARunWatchesItsProgressAndCancelsIt() throws Exception {
        TestImages.teacher(); // skips without ../shared
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "Debian's chromium and chromium-driver are not installed");
        TrainingProfile.collect(20);
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless",
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--window-size=1280,1000");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .build();
        WebDriver browser = new ChromeDriver(service, options);
        try {
            browser.get(base + "ui/login");
            browser.findElement(By.id("username")).sendKeys(TestUsers.ADMIN);
            browser.findElement(By.id("password")).sendKeys(TestUsers.ADMIN_PASSWORD);
            browser.findElement(By.id("login")).click();
            browser.get(base + "ui/training");
            new Select(browser.findElement(By.id("training-line"))).selectByValue("line1");
            new Select(browser.findElement(By.id("training-strategy"))).selectByValue("perlin-texture");
            browser.findElement(By.id("training-minutes")).clear();
            browser.findElement(By.id("training-minutes")).sendKeys("1");
            screenshot(browser, "training-form");
            browser.findElement(By.id("training-start")).click();

            // the page's script fills in the trainer's first report without a reload
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(90));
            wait.until(b -> b.findElement(By.id("training-losses")).getText().startsWith("total"));
            assertEquals("RUNNING", browser.findElement(By.id("training-state")).getText());
            int percent = Integer.parseInt(browser.findElement(By.id("training-progress"))
                    .getAttribute("aria-valuenow"));
            assertTrue(percent > 0 && percent < 100, "progress " + percent);
            assertTrue(browser.findElement(By.id("training-eta")).getText().matches("\\d+ min \\d\\d s"),
                    browser.findElement(By.id("training-eta")).getText());
            screenshot(browser, "training-running");

            browser.findElement(By.id("training-cancel")).click();
            wait.until(b -> b.findElement(By.id("training-state")).getText().equals("CANCELLED"));
            assertTrue(browser.findElement(By.id("training-runs")).getText().contains("cancelled by admin"));
            screenshot(browser, "training-cancelled");
        } finally {
            browser.quit();
        }
    }

    static void screenshot(WebDriver browser, String name) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
