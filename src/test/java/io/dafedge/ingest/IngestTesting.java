package io.dafedge.ingest;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

import io.dafedge.synth.ImageFiles;

/** Shared by the ingest tests: settings, encoded test frames, waiting for a condition. */
final class IngestTesting {
    static final Backoff FAST = new Backoff(Duration.ofMillis(100), Duration.ofMillis(400));

    private IngestTesting() {
    }

    static CameraSettings camera(String id, String source, double maxFps, int queue) {
        return new CameraSettings(id, "line-1", source, Optional.empty(), 0, maxFps, queue);
    }

    /** A w x h JPEG of one grey level, so each frame can be told apart after decoding. */
    static byte[] jpeg(int w, int h, int grey) {
        return encode(".jpg", w, h, grey);
    }

    static byte[] png(int w, int h, int grey) {
        return encode(".png", w, h, grey);
    }

    private static byte[] encode(String ext, int w, int h, int grey) {
        ImageFiles.loadOpenCv();
        Mat mat = new Mat(h, w, CvType.CV_8UC3, new Scalar(grey, grey, grey));
        MatOfByte out = new MatOfByte();
        Imgcodecs.imencode(ext, mat, out);
        byte[] bytes = out.toArray();
        mat.release();
        out.release();
        return bytes;
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) {
        await(() -> what, timeout, condition);
    }

    /** Waits for the condition; {@code what} is asked only on timeout, so it can tell the state at that moment. */
    static void await(Supplier<String> what, Duration timeout, BooleanSupplier condition) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("timed out after " + timeout + " waiting for " + what.get());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    static void awaitState(FrameSource source, SourceState.State state, Duration timeout) {
        await(() -> "state " + state + " (now " + source.state() + ")", timeout, () -> source.state().state() == state);
    }
}
