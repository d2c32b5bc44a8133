package io.dafedge.ingest;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;

/**
 * {@code mjpeg:<url>}: an HTTP camera serving {@code multipart/x-mixed-replace} JPEGs, read in plain Java because
 * OpenCV here has no FFmpeg backend. Every HTTP failure, a stream that stalls for {@link #READ_TIMEOUT} and a stream
 * that ends are retried with backoff: a line camera never ends on purpose.
 */
public final class MjpegSource extends ThreadedSource {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    private final URI url;
    private volatile HttpURLConnection connection;

    public MjpegSource(CameraSettings settings, URI url) {
        this(settings, url, Backoff.DEFAULT);
    }

    MjpegSource(CameraSettings settings, URI url, Backoff backoff) {
        super(settings, settings.maxFps(), backoff);
        String scheme = url.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("camera " + settings.id() + ": MJPEG source needs an http(s) URL, got '"
                    + url + "'");
        }
        this.url = url;
    }

    @Override
    protected String describe() {
        return "MJPEG stream " + url;
    }

    @Override
    protected void session() throws IOException {
        HttpURLConnection c = (HttpURLConnection) url.toURL().openConnection();
        c.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
        c.setReadTimeout((int) READ_TIMEOUT.toMillis());
        c.setUseCaches(false);
        connection = c;
        try {
            if (closed()) {
                return;
            }
            int status = c.getResponseCode();
            if (status != HttpURLConnection.HTTP_OK) {
                throw new IOException("HTTP " + status + " " + c.getResponseMessage());
            }
            String boundary = MjpegSplitter.boundaryOf(c.getContentType());
            try (InputStream in = new BufferedInputStream(c.getInputStream(), 64 * 1024)) {
                MjpegSplitter frames = new MjpegSplitter(in, boundary, MjpegSplitter.DEFAULT_MAX_FRAME_BYTES);
                byte[] frame;
                while ((frame = frames.next()) != null && !closed()) {
                    if (frameArrived()) {
                        deliverEncoded(frame, url.toString());
                    }
                }
            }
            if (!closed()) {
                throw new IOException("stream ended");
            }
        } catch (IOException e) {
            if (closed()) {
                throw e;
            }
            throw new IOException(url + ": " + reason(e), e);
        } finally {
            c.disconnect();
            connection = null;
        }
    }

    @Override
    protected void abortSession() {
        HttpURLConnection c = connection;
        if (c != null) {
            // closes the socket, so a read blocked in the source's thread fails at once
            c.disconnect();
        }
    }
}
