package io.dafedge.ingest;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code mjpeg:<url>}: an HTTP camera serving {@code multipart/x-mixed-replace} JPEGs, read in plain Java because
 * OpenCV here has no FFmpeg backend. Every HTTP failure, a stream without a frame for {@link #STALL_TIMEOUT} and a
 * stream that ends are retried with backoff: a line camera never ends on purpose.
 * <p>
 * java.net.http is used because its body stream can be ended from another thread: closed, then the reader
 * interrupted, a blocked read fails at once (a blocked HttpURLConnection read holds its stream's lock until the read
 * times out, so closing the source would wait for it). It has no read timeout of its own, so a watchdog ends a
 * stalled stream the same way.
 */
public final class MjpegSource extends ThreadedSource {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration STALL_TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NORMAL).build();
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mjpeg-stall-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final URI url;
    private final Duration stallTimeout;
    private volatile InputStream body;

    public MjpegSource(CameraSettings settings, URI url) {
        this(settings, url, Backoff.DEFAULT, STALL_TIMEOUT);
    }

    MjpegSource(CameraSettings settings, URI url, Backoff backoff, Duration stallTimeout) {
        super(settings, settings.maxFps(), backoff);
        String scheme = url.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("camera " + settings.id() + ": MJPEG source needs an http(s) URL, got '"
                    + url + "'");
        }
        this.url = url;
        this.stallTimeout = stallTimeout;
    }

    @Override
    protected String describe() {
        return "MJPEG stream " + url;
    }

    @Override
    protected void session() throws IOException, InterruptedException {
        // the request timeout covers the wait for the response headers: a camera that accepts and never answers
        HttpRequest request = HttpRequest.newBuilder(url).timeout(stallTimeout).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new IOException(url + ": " + reason(e), e);
        }
        try (InputStream in = response.body()) {
            body = in;
            if (closed()) {
                return;
            }
            if (response.statusCode() != 200) {
                throw new IOException(url + ": HTTP " + response.statusCode());
            }
            String boundary = MjpegSplitter.boundaryOf(response.headers().firstValue("Content-Type").orElse(null));
            read(in, new MjpegSplitter(new BufferedInputStream(in, 64 * 1024), boundary,
                    MjpegSplitter.DEFAULT_MAX_FRAME_BYTES));
        } finally {
            body = null;
        }
    }

    @Override
    protected void abortSession() {
        closeQuietly(body);
    }

    /** Closing the body stream alone does not wake a blocked read; the interrupt that follows it does. */
    private static void closeQuietly(InputStream stream) {
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException e) {
                // closing is all that was wanted
            }
        }
    }

    /** Reads frames until the stream ends, fails or stalls; a stall interrupts this thread through the watchdog. */
    private void read(InputStream body, MjpegSplitter frames) throws IOException {
        Stall stall = new Stall(Thread.currentThread(), body);
        ScheduledFuture<?> watch = WATCHDOG.scheduleWithFixedDelay(stall::check, 1, 1, TimeUnit.SECONDS);
        try {
            byte[] frame;
            while ((frame = frames.next()) != null && !closed()) {
                stall.lastFrame = System.nanoTime();
                if (frameArrived()) {
                    deliverEncoded(frame, url.toString());
                }
            }
            if (!closed()) {
                throw new IOException(url + ": stream ended");
            }
        } catch (IOException e) {
            if (closed()) {
                throw e;
            }
            throw new IOException(url + ": " + (stall.fired ? "no frame for " + stallTimeout.toSeconds() + " s"
                    : reason(e)), e);
        } finally {
            watch.cancel(false);
            stall.end();
        }
    }

    /** The watchdog's view of one read: ends the stream once when no frame came for the stall timeout. */
    private final class Stall {
        private final Thread reader;
        private final InputStream body;
        volatile long lastFrame = System.nanoTime();
        volatile boolean fired;
        private boolean ended;

        Stall(Thread reader, InputStream body) {
            this.reader = reader;
            this.body = body;
        }

        synchronized void check() {
            if (!ended && !fired && System.nanoTime() - lastFrame > stallTimeout.toNanos()) {
                fired = true;
                closeQuietly(body);
                reader.interrupt();
            }
        }

        /** Called by the reader: no interrupt arrives after this, and one that did is cleared unless closing. */
        synchronized void end() {
            ended = true;
            if (fired && !closed()) {
                Thread.interrupted();
            }
        }
    }
}
