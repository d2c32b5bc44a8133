package io.dafedge.ingest;

import static io.dafedge.ingest.IngestTesting.awaitState;
import static io.dafedge.ingest.IngestTesting.camera;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.dafedge.synth.demo.DemoLine;
import io.dafedge.synth.demo.DemoProduct;

/** The demo line, V4L2 without a camera, the upload source and parsing the source setting. */
class OtherSourcesTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void demoSourceDeliversTheDemoLineInSeedOrder() throws InterruptedException {
        FrameQueue queue = new FrameQueue("demo", 10);
        try (FrameSource source = FrameSources.create(camera("demo", "demo", 20, 10))) {
            source.start(queue);
            Frame first = queue.poll(WAIT);
            Frame second = queue.poll(WAIT);
            assertNotNull(second);
            assertEquals(SourceState.State.RUNNING, source.state().state());
            assertEquals("demo-0", first.partId());
            assertEquals("demo-1", second.partId());
            assertEquals(new DemoLine(DemoProduct.FLANGE, 256, 256).frame(1, DemoSource.DEFECT_RATE).image(),
                    second.image());
        }
    }

    @Test
    void v4l2WithoutACameraIsRetriedWithAClearError() {
        try (FrameSource source = new V4l2Source(camera("usb", "v4l2:/dev/video97", 0, 2), "/dev/video97",
                IngestTesting.FAST)) {
            source.start(new FrameQueue("usb", 2));
            awaitState(source, SourceState.State.RECONNECTING, WAIT);
            String error = source.state().lastError();
            assertTrue(error.contains("cannot open V4L2 device /dev/video97"), error);
            assertNotNull(source.state().nextAttempt());
        }
    }

    @Test
    void httpSourceIsAlwaysRunningAndDoesNothing() {
        FrameSource source = FrameSources.create(camera("up", "http", 0, 2));
        assertInstanceOf(HttpUploadSource.class, source);
        FrameQueue queue = new FrameQueue("up", 2);
        source.start(queue);
        assertEquals(SourceState.State.RUNNING, source.state().state());
        source.close();
        assertEquals(SourceState.State.RUNNING, source.state().state());
        assertEquals(0, queue.offered());
    }

    @Test
    void sourceSettingsBuildTheirSources() {
        assertInstanceOf(FolderSource.class, FrameSources.create(camera("a", "folder:/srv/in", 0, 2)));
        assertInstanceOf(MjpegSource.class, FrameSources.create(camera("a", "mjpeg:http://cam.local/v.mjpg", 0, 2)));
        assertInstanceOf(FfmpegSource.class, FrameSources.create(camera("a", "ffmpeg:rtsp://cam/1", 0, 2)));
        assertInstanceOf(V4l2Source.class, FrameSources.create(camera("a", "v4l2:0", 0, 2)));
        assertInstanceOf(DemoSource.class, FrameSources.create(camera("a", " demo ", 0, 2)));
    }

    @Test
    void badSourceSettingsNameTheCameraAndTheAcceptedForms() {
        for (String bad : new String[] { "webcam", "folder:", "mjpeg:", "demo:x", "http:x", "v4l2: ", "ffmpeg:",
                "mjpeg:ftp://cam/x", "mjpeg:not a url" }) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> FrameSources.create(camera("line3-top", bad, 0, 2)), bad);
            assertTrue(e.getMessage().contains("line3-top"), e.getMessage());
        }
        String message = assertThrows(IllegalArgumentException.class,
                () -> FrameSources.create(camera("c", "webcam", 0, 2))).getMessage();
        assertTrue(message.contains("'webcam'") && message.contains("folder:<dir>") && message.contains("v4l2:"),
                message);
    }
}
