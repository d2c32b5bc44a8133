package io.dafedge.inspect;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import io.dafedge.ingest.CameraSettings;
import io.dafedge.ingest.Frame;
import io.dafedge.ingest.FrameOutcome;
import io.dafedge.ingest.FrameQueue;

/**
 * A camera's inspection thread: takes frames from the camera's queue, inspects each with the line's model and hands
 * the result to every sink. A frame that cannot be inspected (a ROI that does not fit, a broken model) is FAILED with
 * the reason and counted; it never stops the camera.
 */
public final class CameraWorker implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CameraWorker.class);

    /** Replaced, never changed, when an engineer moves the ROI; each frame reads it once. */
    private volatile CameraSettings camera;
    private final FrameQueue queue;
    private final Inspector inspector;
    private final LineModels models;
    private final List<ResultSink> sinks;
    private final Thread thread;
    private final AtomicLong inspected = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong nok = new AtomicLong();
    private volatile InspectionResult latest;
    /** One picture per camera, for a reinspection; a reinspection does not replace the frame it inspected again. */
    private volatile Frame latestFrame;
    private volatile boolean running = true;

    public CameraWorker(CameraSettings camera, FrameQueue queue, Inspector inspector, LineModels models,
            List<ResultSink> sinks) {
        this.camera = camera;
        this.queue = queue;
        this.inspector = inspector;
        this.models = models;
        this.sinks = List.copyOf(sinks);
        thread = new Thread(this::run, "inspect-" + camera.id());
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        while (running) {
            Frame frame;
            try {
                frame = queue.poll(Duration.ofMillis(500));
            } catch (InterruptedException e) {
                return;
            }
            if (frame != null) {
                handle(frame);
            }
        }
    }

    /**
     * Inspects one frame and hands on its result; public so a benchmark can drive the pipeline without threads, and
     * so a reinspection runs on the thread that asked for it (the line's lock keeps it from running beside a frame).
     */
    public InspectionResult handle(Frame frame) {
        CameraSettings camera = this.camera;
        InspectionResult result;
        try {
            result = models.locked(camera.line(), () -> inspector.inspect(frame, camera));
        } catch (RuntimeException e) {
            failed.incrementAndGet();
            LOG.warnf("camera %s: frame %s (%s) not inspected: %s", camera.id(), frame.resultId(), frame.origin(),
                    e.getMessage());
            frame.outcome().done(FrameOutcome.Status.FAILED, String.valueOf(e.getMessage()));
            return null;
        }
        inspected.incrementAndGet();
        if (result.verdict() == Verdict.NOK) {
            nok.incrementAndGet();
        }
        latest = result;
        if (frame.reinspectionOf() == null) {
            latestFrame = frame;
        }
        for (ResultSink sink : sinks) {
            try {
                sink.accept(result, frame);
            } catch (RuntimeException e) {
                // one broken sink must not keep the result from the others
                LOG.errorf(e, "camera %s: result %s not handed to %s", camera.id(), result.resultId(),
                        sink.getClass().getSimpleName());
            }
        }
        frame.outcome().done(FrameOutcome.Status.INSPECTED, null);
        return result;
    }

    /** The camera's settings with the ROI in force now. */
    public CameraSettings camera() {
        return camera;
    }

    /**
     * Inspects {@code roi} of the frames from the next one on (empty: the whole frame). Not checked against the frame
     * size here: a ROI that does not fit fails each frame with the reason, as a configured one does.
     */
    public synchronized void changeRoi(Optional<CameraSettings.Roi> roi) {
        camera = camera.withRoi(roi);
    }

    public FrameQueue queue() {
        return queue;
    }

    public long inspected() {
        return inspected.get();
    }

    public long failed() {
        return failed.get();
    }

    public long nok() {
        return nok.get();
    }

    /** The last result, or null before the first. */
    public InspectionResult latest() {
        return latest;
    }

    /** The last frame from the camera that was inspected, or null before the first. */
    public Frame latestFrame() {
        return latestFrame;
    }

    /** Stops after the frame in hand; frames still waiting are dropped (and told so) by the queue's close. */
    @Override
    public void close() {
        running = false;
        queue.close();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
