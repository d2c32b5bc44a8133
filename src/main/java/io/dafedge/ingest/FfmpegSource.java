package io.dafedge.ingest;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

/**
 * {@code ffmpeg:<url or file>}: anything ffmpeg reads (RTSP, HTTP, H.264 or other video files) through an
 * {@code ffmpeg} subprocess. ffmpeg writes each frame as a lossless BMP in its {@code mpjpeg} multipart framing, which
 * carries a Content-Length per frame, so {@link MjpegSplitter} cuts the frames whatever their bytes.
 * <p>
 * A URL (anything with "://") is a live stream: when it ends or ffmpeg fails, the source reconnects with backoff and
 * the state carries ffmpeg's last error lines. A file is played at its own frame rate ({@code -re}, like a camera)
 * once, and the source is STOPPED at its end; it does not loop. A missing or unrunnable ffmpeg program is FAILED.
 */
public final class FfmpegSource extends ThreadedSource {
    private static final Logger LOG = Logger.getLogger(FfmpegSource.class);
    public static final String DEFAULT_BINARY = "ffmpeg";
    /** ffmpeg's name for the boundary it writes ({@code -boundary_tag}'s default). */
    private static final String BOUNDARY = "ffmpeg";
    /** Network reads that stall this long make ffmpeg fail, so the source reconnects (ffmpeg's -rw_timeout, in us). */
    private static final String RW_TIMEOUT_MICROS = "10000000";
    private static final int STDERR_LINES = 5;

    private final String input;
    private final String binary;
    private final boolean live;
    private volatile Process process;

    public FfmpegSource(CameraSettings settings, String input, String binary) {
        this(settings, input, binary, Backoff.DEFAULT);
    }

    FfmpegSource(CameraSettings settings, String input, String binary, Backoff backoff) {
        super(settings, settings.maxFps(), backoff);
        if (input.isBlank()) {
            throw new IllegalArgumentException("camera " + settings.id() + ": ffmpeg source needs a URL or file");
        }
        this.input = input;
        this.binary = binary;
        this.live = input.contains("://");
    }

    @Override
    protected String describe() {
        return (live ? "stream " : "file ") + input + " through " + binary;
    }

    List<String> command() {
        List<String> cmd = new ArrayList<>(List.of(binary, "-nostdin", "-loglevel", "error"));
        if (live) {
            cmd.addAll(List.of("-rw_timeout", RW_TIMEOUT_MICROS));
        } else {
            cmd.add("-re");
        }
        cmd.addAll(List.of("-i", input, "-map", "0:v:0", "-an", "-pix_fmt", "bgr24", "-c:v", "bmp",
                "-f", "mpjpeg", "-boundary_tag", BOUNDARY, "pipe:1"));
        return cmd;
    }

    @Override
    protected void session() throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(command()).start();
        } catch (IOException e) {
            throw new FatalSourceException("cannot run ffmpeg ('" + binary + "'): " + e.getMessage()
                    + "; install it (apt-get install ffmpeg) or configure its path");
        }
        process = p;
        p.getOutputStream().close(); // -nostdin already; no input for it either way
        ArrayDeque<String> errors = new ArrayDeque<>();
        Thread stderr = new Thread(() -> collect(p.getErrorStream(), errors), Thread.currentThread().getName() + "-ffmpeg");
        stderr.setDaemon(true);
        stderr.start();
        try {
            if (closed()) {
                return;
            }
            try (InputStream out = new BufferedInputStream(p.getInputStream(), 1 << 20)) {
                MjpegSplitter frames = new MjpegSplitter(out, BOUNDARY, MjpegSplitter.DEFAULT_MAX_FRAME_BYTES);
                byte[] frame;
                while ((frame = frames.next()) != null && !closed()) {
                    if (frameArrived()) {
                        deliverEncoded(frame, input);
                    }
                }
            }
            if (closed()) {
                return;
            }
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                throw new IOException("ffmpeg closed its output but did not exit");
            }
            stderr.join(1000);
            int exit = p.exitValue();
            if (exit != 0) {
                throw new IOException("ffmpeg exited with " + exit + " on " + input + lastLines(errors));
            }
            if (live) {
                throw new IOException(input + ": stream ended" + lastLines(errors));
            }
        } finally {
            p.destroyForcibly();
            process = null;
        }
    }

    @Override
    protected void abortSession() {
        Process p = process;
        if (p != null) {
            // ends ffmpeg, so the source's blocked read sees the end of its output
            p.destroyForcibly();
        }
    }

    /** Logs ffmpeg's error output and keeps its last lines for the state. */
    private void collect(InputStream err, ArrayDeque<String> lines) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(err, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                LOG.warnf("camera %s: ffmpeg: %s", settings.id(), line);
                synchronized (lines) {
                    if (lines.size() == STDERR_LINES) {
                        lines.removeFirst();
                    }
                    lines.addLast(line.trim());
                }
            }
        } catch (IOException e) {
            // the process is gone; what was read so far is kept
        }
    }

    private static String lastLines(ArrayDeque<String> lines) {
        synchronized (lines) {
            return lines.isEmpty() ? "" : ": " + String.join(" | ", lines);
        }
    }
}
