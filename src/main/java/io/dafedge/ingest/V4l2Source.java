package io.dafedge.ingest;

import java.io.IOException;

import org.opencv.core.Mat;
import org.opencv.videoio.VideoCapture;
import org.opencv.videoio.Videoio;

import io.dafedge.synth.ImageFiles;
import io.dafedge.synth.ImageReadException;

/**
 * {@code v4l2:<device>}: a USB or CSI camera through OpenCV's V4L2 backend, by path ({@code /dev/video0}) or index
 * ({@code 0}). A device that is missing, busy or stops delivering is retried with backoff (it may be plugged in
 * later). OpenCV's blocking read cannot be interrupted: closing waits for the current read to return.
 */
public final class V4l2Source extends ThreadedSource {
    private final String device;

    public V4l2Source(CameraSettings settings, String device) {
        this(settings, device, Backoff.DEFAULT);
    }

    V4l2Source(CameraSettings settings, String device, Backoff backoff) {
        super(settings, settings.maxFps(), backoff);
        if (device.isBlank()) {
            throw new IllegalArgumentException("camera " + settings.id() + ": V4L2 source needs a device path or index");
        }
        this.device = device;
    }

    @Override
    protected String describe() {
        return "V4L2 device " + device;
    }

    @Override
    protected void session() throws IOException {
        ImageFiles.loadOpenCv();
        VideoCapture capture = new VideoCapture();
        Mat mat = new Mat();
        try {
            boolean opened = device.chars().allMatch(Character::isDigit)
                    ? capture.open(Integer.parseInt(device), Videoio.CAP_V4L2)
                    : capture.open(device, Videoio.CAP_V4L2);
            if (!opened || !capture.isOpened()) {
                throw new IOException("cannot open V4L2 device " + device + " (missing, busy or not a camera)");
            }
            while (!closed()) {
                if (!capture.read(mat)) {
                    throw new IOException("V4L2 device " + device + " stopped delivering frames");
                }
                if (frameArrived()) {
                    try {
                        deliver(ImageFiles.fromMat(mat, device), null, device, FrameOutcome.NONE);
                    } catch (ImageReadException e) {
                        undecodable(e.getMessage());
                    }
                }
            }
        } finally {
            mat.release();
            capture.release();
        }
    }
}
