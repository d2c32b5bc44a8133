package io.dafedge.api;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

import io.dafedge.ApplianceBean;
import io.dafedge.ingest.CameraSettings;
import io.dafedge.ingest.Frame;
import io.dafedge.inspect.Appliance;
import io.dafedge.inspect.CameraRois;
import io.dafedge.inspect.LineModel;
import io.dafedge.inspect.ModelPromotions;
import io.dafedge.inspect.ThresholdAdvice;
import io.dafedge.model.ModelBundle;
import io.dafedge.model.ModelSummary;
import io.dafedge.model.ScoreRange;
import io.dafedge.store.PromotionHistory;
import io.dafedge.store.Reviews;
import io.dafedge.store.RoiRepository;
import io.dafedge.synth.ImageFiles;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What engineers change on a running appliance (models per line, thresholds, ROIs), for the API and the pages
 * alike: joins the appliance's parts with the database and hands the decisions to the plain classes
 * ({@link ModelPromotions}, {@link ThresholdAdvice}, {@link CameraRois}). Refusals are
 * {@link NoSuchElementException} (unknown line, camera or model), {@link IllegalArgumentException} (bad input) and
 * {@link IllegalStateException} (not possible now), each with a message for the user.
 */
@ApplicationScoped
public class Engineering {
    static final int HISTORY_SHOWN = 20;

    private final ApplianceBean appliance;
    private final Reviews reviews;
    private final PromotionHistory history;
    private final RoiRepository rois;
    private ModelPromotions promotions;
    private CameraRois cameraRois;

    Engineering(ApplianceBean appliance, Reviews reviews, PromotionHistory history, RoiRepository rois) {
        this.appliance = appliance;
        this.reviews = reviews;
        this.history = history;
        this.rois = rois;
    }

    /** A bundle and the lines that inspect with it now. */
    public record Model(ModelSummary summary, List<String> lines) {
    }

    /** A line's model now (all null but the line and state while it has none). */
    public record ActiveModel(String line, String state, String modelId, Integer modelVersion, Float threshold,
            String method) {
    }

    /** Every known bundle, newest first, with the lines using it. */
    public List<Model> models() {
        Appliance a = appliance.appliance();
        return appliance.catalog().list().stream().map(ModelSummary::of)
                .sorted(Comparator.comparing(ModelSummary::createdAt, Comparator.nullsLast(Comparator.reverseOrder())))
                .map(s -> new Model(s, a.lines().stream().filter(l -> a.models().current(l)
                        .map(m -> m.modelId().equals(s.id())).orElse(false)).toList()))
                .toList();
    }

    public List<ActiveModel> lines() {
        return appliance.appliance().lines().stream().map(this::active).toList();
    }

    public ActiveModel active(String line) {
        Appliance a = appliance.appliance();
        if (!a.lines().contains(line)) {
            throw new NoSuchElementException("no line '" + line + "' (lines: " + a.lines() + ")");
        }
        Optional<LineModel> m = a.models().current(line);
        return new ActiveModel(line, a.models().state(line), m.map(LineModel::modelId).orElse(null),
                m.map(LineModel::modelVersion).orElse(null), m.map(LineModel::threshold).orElse(null),
                appliance.lineSetup().activeBundle(line).map(ModelBundle::method).orElse(null));
    }

    public ActiveModel promote(String modelId, String line, Double threshold, String who) {
        promotions().promote(line, modelId, threshold, who);
        return active(line);
    }

    public ActiveModel rollback(String line, String who) {
        promotions().rollback(line, who);
        return active(line);
    }

    public List<ModelPromotions.Promotion> promotions(String line) {
        return promotions().history(line, HISTORY_SHOWN);
    }

    /** The line's model judges with {@code threshold} from the next frame on. */
    public ActiveModel setThreshold(String line, Double threshold) {
        ModelBundle bundle = bundle(line);
        float t = ScoreRange.threshold(required(threshold), bundle.method());
        appliance.lineSetup().setThreshold(line, t);
        return active(line);
    }

    /** What {@code threshold} would change among the reviewed frames the line's current model judged. */
    public ThresholdAdvice.Preview preview(String line, Double threshold) {
        ModelBundle bundle = bundle(line);
        float t = ScoreRange.threshold(required(threshold), bundle.method());
        return ThresholdAdvice.preview(reviewed(line), current(line).threshold(), t);
    }

    /** A threshold from the reviewed frames the line's current model judged. */
    public ThresholdAdvice.Suggestion suggestion(String line) {
        ModelBundle bundle = bundle(line);
        ThresholdAdvice.Suggestion s = ThresholdAdvice.suggest(reviewed(line));
        if (!ScoreRange.of(bundle.method()).admits(s.threshold())) {
            throw new IllegalStateException("no suggestion: the reviewed frames point to " + s.threshold()
                    + ", outside the range of a " + bundle.method() + " model's thresholds ("
                    + ScoreRange.of(bundle.method()) + ")");
        }
        return s;
    }

    /** Every camera's ROIs, in configuration order. */
    public List<CameraRois.State> rois() {
        return appliance.appliance().cameras().stream().map(c -> roi(c.settings().id())).toList();
    }

    public CameraRois.State roi(String camera) {
        return cameraRois().state(camera);
    }

    public CameraRois.State changeRoi(String camera, Integer x, Integer y, Integer width, Integer height,
            String who) {
        if (x == null || y == null || width == null || height == null) {
            throw new IllegalArgumentException("a ROI needs x, y, width and height (whole frame pixels)");
        }
        return cameraRois().change(camera, new CameraSettings.Roi(x, y, width, height), who);
    }

    public CameraRois.State resetRoi(String camera) {
        return cameraRois().reset(camera);
    }

    /** The camera's latest frame, whole, as PNG. */
    public byte[] latestFramePng(String camera) {
        Frame f = appliance.appliance().camera(camera).orElseThrow(() -> new NoSuchElementException("no camera '"
                + camera + "' is configured")).worker().latestFrame();
        if (f == null) {
            throw new IllegalStateException("camera " + camera + " has delivered no frame yet");
        }
        return ImageFiles.encodePng(f.image());
    }

    /** The line's reviewed frames scored by the model it inspects with now (other models' scores do not compare). */
    private List<ThresholdAdvice.Reviewed> reviewed(String line) {
        String model = current(line).modelId();
        return reviews.all(line).stream().filter(r -> model.equals(r.modelId()) && r.score() != null)
                .map(r -> new ThresholdAdvice.Reviewed(r.score(), r.defective())).toList();
    }

    private LineModel current(String line) {
        active(line);
        return appliance.appliance().models().current(line).orElseThrow(() -> new IllegalStateException("line "
                + line + " has no model yet"));
    }

    private ModelBundle bundle(String line) {
        active(line);
        return appliance.lineSetup().activeBundle(line).orElseThrow(() -> new IllegalStateException("line " + line
                + " has no model yet, so it has no threshold"));
    }

    private static double required(Double threshold) {
        if (threshold == null) {
            throw new IllegalArgumentException("give the threshold, a number");
        }
        return threshold;
    }

    private synchronized ModelPromotions promotions() {
        if (promotions == null) {
            promotions = new ModelPromotions(appliance.appliance(), appliance.lineSetup(), appliance.catalog(),
                    history, Clock.systemUTC());
        }
        return promotions;
    }

    private synchronized CameraRois cameraRois() {
        if (cameraRois == null) {
            cameraRois = new CameraRois(appliance.appliance(), rois);
        }
        return cameraRois;
    }
}
