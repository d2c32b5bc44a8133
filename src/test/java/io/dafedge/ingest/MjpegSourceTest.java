package io.dafedge.ingest;

import static io.dafedge.ingest.IngestTesting.FAST;
import static io.dafedge.ingest.IngestTesting.await;
import static io.dafedge.ingest.IngestTesting.awaitState;
import static io.dafedge.ingest.IngestTesting.camera;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

class MjpegSourceTest {
    private static final Duration STALL = Duration.ofSeconds(2);
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** A test camera: its handlers run on their own threads, so stopping it ends their streams at once. */
    private record Camera(HttpServer server, ExecutorService handlers) {
        int port() {
            return server.getAddress().getPort();
        }

        void stop() {
            server.stop(0);
            handlers.shutdownNow();
        }
    }

    private Camera server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop();
        }
    }

    /**
     * Serves {@code frames} as an MJPEG stream, {@code intervalMs} apart, then keeps the connection open until the
     * camera is stopped.
     */
    private static Camera serve(int port, List<byte[]> frames, long intervalMs) throws IOException {
        HttpServer s = null;
        for (int attempt = 0; s == null; attempt++) {
            try {
                s = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            } catch (BindException e) {
                if (attempt > 50) {
                    throw e;
                }
                sleep(100); // the old listener's port is being released
            }
        }
        s.createContext("/cam.mjpg", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "multipart/x-mixed-replace; boundary=\"frame\"");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (byte[] frame : frames) {
                    out.write(("--frame\r\nContent-Type: image/jpeg\r\nContent-Length: " + frame.length + "\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    out.write(frame);
                    out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    sleep(intervalMs);
                }
                Thread.sleep(60_000);
            } catch (IOException | InterruptedException e) {
                // the client went away, or the camera was stopped
            }
        });
        ExecutorService handlers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-camera");
            t.setDaemon(true);
            return t;
        });
        s.setExecutor(handlers);
        s.start();
        return new Camera(s, handlers);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<byte[]> frames(int n, int corruptIndex) {
        List<byte[]> frames = new CopyOnWriteArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] jpeg = IngestTesting.jpeg(64, 48, 20 * i);
            if (i == corruptIndex) {
                for (int b = 20; b < jpeg.length - 2; b++) {
                    jpeg[b] = (byte) 0x5A; // markers at both ends, nothing decodable between
                }
            }
            frames.add(jpeg);
        }
        return frames;
    }

    @Test
    void deliversFramesSkipsACorruptOneAndReconnectsWhenTheServerComesBack() throws IOException {
        server = serve(0, frames(5, 2), 20);
        int port = server.port();
        FrameQueue queue = new FrameQueue("cam1", 20);
        try (MjpegSource source = new MjpegSource(camera("cam1", "mjpeg", 0, 20),
                URI.create("http://127.0.0.1:" + port + "/cam.mjpg"), FAST, STALL)) {
            source.start(queue);
            await("4 frames", WAIT, () -> queue.offered() == 4);
            assertEquals(SourceState.State.RUNNING, source.state().state());
            assertEquals(1, source.counters().undecodable());
            Frame first = queue.poll(Duration.ZERO);
            assertEquals("cam1", first.camera());
            assertEquals(64, first.image().width);
            assertEquals(48, first.image().height);
            assertEquals(0, first.image().get(10, 10, 0), 3);
            assertEquals(20, queue.poll(Duration.ZERO).image().get(10, 10, 1), 3);
            assertEquals(60, queue.poll(Duration.ZERO).image().get(10, 10, 2), 3, "the corrupt frame is skipped");

            server.stop();
            awaitState(source, SourceState.State.RECONNECTING, WAIT);
            SourceState down = source.state();
            assertNotNull(down.lastError());
            assertTrue(down.lastError().contains("127.0.0.1:" + port), down.lastError());
            assertNotNull(down.nextAttempt());
            assertTrue(down.nextAttempt().isAfter(Instant.now().minusSeconds(1)));

            long before = queue.offered();
            server = serve(port, frames(3, -1), 20);
            awaitState(source, SourceState.State.RUNNING, WAIT);
            await("frames after the reconnect", WAIT, () -> queue.offered() == before + 3);
            assertTrue(source.counters().reconnects() >= 1);
            assertEquals(1, source.counters().undecodable());
            long closing = System.nanoTime();
            source.close();
            assertTrue(System.nanoTime() - closing < 2_000_000_000L, "closing waited for the stream");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void rateCapSkipsFramesAtTheSourceWithoutDroppingAny() throws Exception {
        List<byte[]> stream = frames(40, -1); // 40 frames at 25 fps: 1.6 s
        server = serve(0, stream, 40);
        FrameQueue queue = new FrameQueue("cam2", 100);
        MjpegSource source = new MjpegSource(camera("cam2", "mjpeg", 5, 100),
                URI.create("http://127.0.0.1:" + server.port() + "/cam.mjpg"), FAST, STALL);
        long start = System.nanoTime();
        try (source) {
            source.start(queue);
            await("the whole stream", WAIT, () -> {
                SourceCounters c = source.counters();
                return c.delivered() + c.skippedByRateCap() == stream.size();
            });
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        SourceCounters c = source.counters();
        // the first frame is free and each may come a quarter interval early: 1 + 5 fps x (time + 0.05 s) at most
        assertTrue(c.delivered() >= 5 && c.delivered() <= 1 + 5 * (seconds + 0.05),
                c.delivered() + " delivered in " + seconds + " s at a cap of 5 fps");
        assertEquals(stream.size() - c.delivered(), c.skippedByRateCap());
        assertEquals(c.delivered(), queue.offered());
        assertEquals(0, queue.dropped());
        assertEquals(SourceState.State.STOPPED, source.state().state());
    }

    @Test
    void aStalledStreamIsDroppedAndRetried() throws IOException {
        server = serve(0, frames(2, -1), 10);
        FrameQueue queue = new FrameQueue("cam4", 4);
        try (MjpegSource source = new MjpegSource(camera("cam4", "mjpeg", 0, 4),
                URI.create("http://127.0.0.1:" + server.port() + "/cam.mjpg"), FAST, Duration.ofSeconds(1))) {
            source.start(queue);
            awaitState(source, SourceState.State.RUNNING, WAIT);
            awaitState(source, SourceState.State.RECONNECTING, WAIT);
            assertTrue(source.state().lastError().contains("no frame for 1 s"), source.state().lastError());
            await("frames of the next connection", WAIT, () -> queue.offered() >= 4);
        }
    }

    @Test
    void anUnreachableCameraIsRetriedNotFatal() {
        try (MjpegSource source = new MjpegSource(camera("cam3", "mjpeg", 0, 2),
                URI.create("http://127.0.0.1:1/none.mjpg"), FAST, STALL)) {
            source.start(new FrameQueue("cam3", 2));
            awaitState(source, SourceState.State.RECONNECTING, WAIT);
            assertTrue(source.state().lastError().contains("Connect"), source.state().lastError());
            await("a second attempt", WAIT, () -> source.counters().reconnects() >= 2);
        }
    }
}
