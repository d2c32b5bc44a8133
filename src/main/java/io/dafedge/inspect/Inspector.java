package io.dafedge.inspect;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;

import io.dafedge.ingest.CameraSettings;
import io.dafedge.ingest.Frame;
import io.dafedge.model.AnomalyMap;
import io.dafedge.synth.Image;

/**
 * Runs one frame through inspection: the camera's ROI and rotation, the line's detector, post-processing. A line
 * without a model gets verdict UNKNOWN, never a guessed one. Thread-safe as long as the detectors are; the caller
 * decides how many frames run at once.
 */
public final class Inspector {
    private final Function<String, Optional<LineModel>> models;
    private final Postprocess postprocess;
    private final Clock clock;
    private final Predicate<Verdict> thumbnails;
    private final Predicate<Verdict> overlays;

    /**
     * @param models the model a line is inspected with at this moment, by line name; empty when it has none
     */
    public Inspector(Function<String, Optional<LineModel>> models, Postprocess postprocess, Clock clock) {
        this(models, postprocess, clock, verdict -> true);
    }

    /** The appliance's rule for whose pictures are kept: NOK always, the others when the site asks for them. */
    public static Predicate<Verdict> picturesKept(boolean okImages) {
        return picturesKept(okImages, 0);
    }

    /**
     * As {@link #picturesKept(boolean)}, and also every {@code sampleEvery}-th other frame (0: none), so that
     * operators have good frames to review and to choose as training material without every OK frame paying for
     * its thumbnail.
     */
    public static Predicate<Verdict> picturesKept(boolean okImages, int sampleEvery) {
        AtomicLong others = new AtomicLong();
        return verdict -> verdict == Verdict.NOK || okImages
                || sampleEvery > 0 && others.incrementAndGet() % sampleEvery == 0;
    }

    /**
     * The appliance's rule for whose heat-map overlay is made: NOK always (it is stored), the others when they are
     * published ({@code okHeatmaps}) or their pictures kept ({@code okImages}).
     */
    public static Predicate<Verdict> overlaysMade(boolean okHeatmaps, boolean okImages) {
        return verdict -> verdict == Verdict.NOK || okHeatmaps || okImages;
    }

    /**
     * @param thumbnails which verdicts get a thumbnail: encoding one costs about as much as the rest of the
     *                   post-processing, so frames whose pictures are not kept skip it
     */
    public Inspector(Function<String, Optional<LineModel>> models, Postprocess postprocess, Clock clock,
            Predicate<Verdict> thumbnails) {
        this(models, postprocess, clock, thumbnails, verdict -> true);
    }

    /** @param overlays which verdicts get a heat-map overlay (the other results carry none) */
    public Inspector(Function<String, Optional<LineModel>> models, Postprocess postprocess, Clock clock,
            Predicate<Verdict> thumbnails, Predicate<Verdict> overlays) {
        this.overlays = Objects.requireNonNull(overlays);
        this.thumbnails = Objects.requireNonNull(thumbnails);
        this.models = Objects.requireNonNull(models);
        this.postprocess = Objects.requireNonNull(postprocess);
        this.clock = Objects.requireNonNull(clock);
    }

    /**
     * @param camera the settings of the camera that took the frame
     * @throws IllegalArgumentException naming the camera when its ROI does not fit the frame, or when the detector's
     *                                  score is not a finite number; the frame is then FAILED with that message
     */
    public InspectionResult inspect(Frame frame, CameraSettings camera) {
        if (!frame.camera().equals(camera.id())) {
            throw new IllegalArgumentException("frame of camera " + frame.camera() + " given with the settings of "
                    + camera.id());
        }
        long t0 = System.nanoTime();
        FrameGeometry geometry = FrameGeometry.of(camera, frame.image().width, frame.image().height);
        Image inspected = geometry.inspected(frame.image());
        long preprocess = System.nanoTime() - t0;
        Optional<LineModel> model = models.apply(camera.line());
        long detect = 0;
        InspectionOutcome outcome = null;
        long t1 = System.nanoTime();
        if (model.isPresent()) {
            AnomalyMap map = model.get().detector().score(inspected);
            detect = System.nanoTime() - t1;
            outcome = postprocess.run(map, model.get().threshold(), geometry, inspected, overlays);
        }
        Verdict verdict = outcome == null ? Verdict.UNKNOWN : outcome.verdict();
        byte[] thumbnail = thumbnails.test(verdict) ? postprocess.thumbnailPng(inspected) : null;
        long post = System.nanoTime() - t1 - detect;
        Instant inspectedAt = clock.instant();
        if (outcome == null) {
            return new InspectionResult(frame.resultId(), camera.id(), camera.line(), frame.partId(),
                    frame.capturedAt(), inspectedAt, Verdict.UNKNOWN, null, null, null, null, List.of(), 0, null, thumbnail,
                    millis(preprocess), 0, millis(post), frame.reinspectionOf());
        }
        return new InspectionResult(frame.resultId(), camera.id(), camera.line(), frame.partId(), frame.capturedAt(),
                inspectedAt, outcome.verdict(), outcome.score(), outcome.threshold(), model.get().modelId(),
                model.get().modelVersion(), outcome.regions().regions(),
                outcome.regions().omitted(), outcome.overlayPng(), thumbnail, millis(preprocess), millis(detect),
                millis(post), frame.reinspectionOf());
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }
}
