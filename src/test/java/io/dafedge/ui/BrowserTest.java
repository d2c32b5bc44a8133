package io.dafedge.ui;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** Without a browser the browser tests fail with what to install; they never pass by skipping. */
class BrowserTest {
    @Test
    void aMissingChromiumOrChromedriverFailsWithWhatToInstall() {
        Path nowhere = Path.of("target", "no-such-dir", "chromium");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Browser.start(URI.create("http://127.0.0.1:1/"), "missing", nowhere, Browser.CHROMEDRIVER));
        assertTrue(e.getMessage().contains(nowhere.toString())
                && e.getMessage().contains("apt-get install chromium chromium-driver"), e.getMessage());
    }
}
