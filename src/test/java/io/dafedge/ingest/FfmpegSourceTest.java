package io.dafedge.ingest;

import static io.dafedge.ingest.IngestTesting.FAST;
import static io.dafedge.ingest.IngestTesting.await;
import static io.dafedge.ingest.IngestTesting.awaitState;
import static io.dafedge.ingest.IngestTesting.camera;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.dafedge.synth.Image;

/** The sources that need a real ffmpeg: skipped where none is installed. */
class FfmpegSourceTest {
    private static final Duration STALL = Duration.ofSeconds(2);
    private static final Duration WAIT = Duration.ofSeconds(15);

    @BeforeAll
    static void needsFfmpeg() {
        boolean present;
        try {
            Process p = new ProcessBuilder("ffmpeg", "-version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            present = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            present = false;
        }
        Assumptions.assumeTrue(present, "ffmpeg is not installed");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The stack notes' loopback MJPEG camera: ffmpeg's test pattern at 10 fps, one client. */
    private static Process serveTestStream(int port) throws IOException {
        return new ProcessBuilder("ffmpeg", "-nostdin", "-loglevel", "error", "-re", "-f", "lavfi",
                "-i", "testsrc=size=320x240:rate=10", "-c:v", "mjpeg", "-f", "mpjpeg", "-listen", "1",
                "http://127.0.0.1:" + port + "/x.mjpg").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, command + ": " + out);
    }

    @Test
    void mjpegSourceReadsAnFfmpegServedStream() throws Exception {
        int port = freePort();
        Process server = serveTestStream(port);
        FrameQueue queue = new FrameQueue("ff1", 50);
        try (MjpegSource source = new MjpegSource(camera("ff1", "mjpeg", 0, 50),
                URI.create("http://127.0.0.1:" + port + "/x.mjpg"), FAST, STALL)) {
            source.start(queue);
            await("5 frames from ffmpeg", WAIT, () -> queue.offered() >= 5);
            Frame frame = queue.take();
            assertEquals(320, frame.image().width);
            assertEquals(240, frame.image().height);
            assertEquals(3, frame.image().channels);
            assertEquals(SourceState.State.RUNNING, source.state().state());
            assertEquals(0, source.counters().undecodable());
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void ffmpegSourcePlaysAVideoFileOnceAndStops(@TempDir Path dir) throws Exception {
        Path video = dir.resolve("line.mp4");
        run(List.of("ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10",
                "-t", "1", "-pix_fmt", "yuv420p", video.toString()));
        FrameQueue queue = new FrameQueue("ff2", 50);
        try (FfmpegSource source = new FfmpegSource(camera("ff2", "ffmpeg", 0, 50), video.toString(), "ffmpeg",
                FAST)) {
            source.start(queue);
            awaitState(source, SourceState.State.STOPPED, WAIT);
            assertEquals(10, queue.offered(), "one second at 10 fps");
            assertEquals(10, source.counters().delivered());
            assertEquals(0, source.counters().reconnects());
            Frame frame = queue.take();
            assertEquals(160, frame.image().width);
            assertEquals(120, frame.image().height);
            assertEquals(video.toString(), frame.origin());
            // testsrc is yellow at (80, 60) and cyan at (20, 60): BGR taken for RGB would swap them
            Image image = frame.image();
            assertTrue(image.get(80, 60, 0) > 180 && image.get(80, 60, 2) < 80, "not yellow at (80, 60)");
            assertTrue(image.get(20, 60, 0) < 80 && image.get(20, 60, 2) > 180, "not cyan at (20, 60)");
        }
    }

    @Test
    void ffmpegSourceCapsTheRateOfAFile(@TempDir Path dir) throws Exception {
        Path video = dir.resolve("fast.avi");
        run(List.of("ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=64x64:rate=25",
                "-t", "1", "-c:v", "mjpeg", video.toString()));
        try (FfmpegSource source = new FfmpegSource(camera("ff3", "ffmpeg", 4, 50), video.toString(), "ffmpeg",
                FAST)) {
            source.start(new FrameQueue("ff3", 50));
            awaitState(source, SourceState.State.STOPPED, WAIT);
            SourceCounters c = source.counters();
            assertEquals(25, c.delivered() + c.skippedByRateCap());
            assertTrue(c.delivered() >= 3 && c.delivered() <= 6, c.delivered() + " delivered in 1 s at 4 fps");
        }
    }

    @Test
    void aMissingInputIsRetriedWithFfmpegsMessage(@TempDir Path dir) {
        Path missing = dir.resolve("nothing.mp4");
        try (FfmpegSource source = new FfmpegSource(camera("ff4", "ffmpeg", 0, 2), missing.toString(), "ffmpeg",
                FAST)) {
            source.start(new FrameQueue("ff4", 2));
            awaitState(source, SourceState.State.RECONNECTING, WAIT);
            String error = source.state().lastError();
            assertTrue(error.contains("No such file"), error);
        }
    }

    @Test
    void aMissingFfmpegIsAClearFailure(@TempDir Path dir) {
        String binary = dir.resolve("no-ffmpeg").toString();
        try (FfmpegSource source = new FfmpegSource(camera("ff5", "ffmpeg", 0, 2), "rtsp://127.0.0.1/x", binary,
                FAST)) {
            source.start(new FrameQueue("ff5", 2));
            awaitState(source, SourceState.State.FAILED, WAIT);
            String error = source.state().lastError();
            assertTrue(error.contains("cannot run ffmpeg") && error.contains(binary), error);
        }
    }

    @Test
    void ffmpegSourceReadsALiveStreamAndClosingEndsItsProcess() throws Exception {
        int port = freePort();
        Process server = serveTestStream(port);
        FrameQueue queue = new FrameQueue("ff6", 50);
        FfmpegSource source = new FfmpegSource(camera("ff6", "ffmpeg", 0, 50),
                "http://127.0.0.1:" + port + "/x.mjpg", "ffmpeg", FAST);
        try {
            source.start(queue);
            await("3 frames through ffmpeg", WAIT, () -> queue.offered() >= 3);
            assertEquals(SourceState.State.RUNNING, source.state().state());
            assertEquals(320, queue.take().image().width);
            List<ProcessHandle> readers = ProcessHandle.current().children()
                    .filter(h -> h.info().arguments().map(a -> List.of(a).contains("pipe:1")).orElse(false))
                    .toList();
            assertEquals(1, readers.size(), "one ffmpeg reading for the source");
            source.close();
            await("ffmpeg to end", WAIT, () -> !readers.get(0).isAlive());
            assertEquals(SourceState.State.STOPPED, source.state().state());
        } finally {
            source.close();
            server.destroyForcibly();
        }
    }
}
