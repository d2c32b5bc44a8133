package io.dafedge.inspect;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import io.dafedge.model.Detector;
import io.dafedge.model.Detectors;
import io.dafedge.model.ModelBundle;
import io.dafedge.model.ModelException;
import io.dafedge.train.FirstModel;

/**
 * Decides which model each line starts with. In order: the bundle the site configured for the line; the model the
 * appliance last used on it (remembered in the database); for the demo line, a first model fitted on the box in the
 * background; otherwise none, and the line collects good frames. The site's threshold, when configured, wins over the
 * remembered one. Every model that becomes active on a line gets the next version number of that line.
 */
public final class LineSetup {
    private static final Logger LOG = Logger.getLogger(LineSetup.class);

    /** What the appliance remembers per line. */
    public record Saved(Path model, String modelId, int version, Float threshold) {
    }

    /** The database side: the line's remembered model, and remembering a new one. */
    public interface Memory {
        Optional<Saved> load(String line);

        void save(String line, Saved saved);
    }

    private final LineModels models;
    private final Memory memory;
    private final int threads;
    /** The bundle each line inspects with now, for a change of threshold and for the score range of its method. */
    private final Map<String, ModelBundle> active = new ConcurrentHashMap<>();

    public LineSetup(LineModels models, Memory memory, int threads) {
        this.models = models;
        this.memory = memory;
        this.threads = threads;
    }

    /**
     * @param demoWork where a demo line's first model is made (null: the line is no demo line, or there is no teacher)
     */
    public void start(String line, Optional<Path> configuredModel, OptionalDouble configuredThreshold,
            Optional<Path> teacher, Path demoWork) {
        Optional<Saved> saved = memory.load(line);
        Float threshold = configuredThreshold.isPresent() ? (float) configuredThreshold.getAsDouble() : null;
        try {
            if (configuredModel.isPresent()) {
                ModelBundle bundle = ModelBundle.open(configuredModel.get());
                Float t = threshold != null ? threshold
                        : saved.filter(s -> s.modelId().equals(bundle.id())).map(Saved::threshold).orElse(null);
                activate(line, bundle, t, saved);
                return;
            }
            if (saved.isPresent() && Files.isDirectory(saved.get().model())) {
                Saved s = saved.get();
                activate(line, ModelBundle.open(s.model()), threshold != null ? threshold : s.threshold(), saved);
                return;
            }
        } catch (ModelException e) {
            models.state(line, "model cannot be used: " + e.getMessage());
            LOG.errorf("line %s: %s", line, e.getMessage());
            return;
        }
        if (demoWork != null && teacher.isPresent()) {
            fitDemoInBackground(line, teacher.get(), demoWork, threshold);
        } else if (demoWork != null) {
            models.state(line, "collecting good frames: no teacher model configured (set daf.teacher), "
                    + "so no first model can be made");
        } else {
            models.state(line, "collecting good frames: no model yet (train one, then set daf.lines." + line
                    + ".model)");
        }
    }

    /**
     * Makes {@code bundle} the line's model with {@code threshold}, numbered and remembered as at start-up: returns
     * once it inspects, or throws with the line's model unchanged.
     */
    public LineModel switchModel(String line, ModelBundle bundle, float threshold) throws ModelException {
        return activate(line, bundle, threshold, memory.load(line));
    }

    /**
     * The line's model judges with {@code threshold} from the next frame on, and keeps it across restarts (a threshold
     * in the site's configuration still wins at start-up); same model, same version.
     *
     * @throws IllegalStateException when the line has no model (nothing changes then)
     */
    public synchronized LineModel setThreshold(String line, float threshold) {
        ModelBundle bundle = active.get(line);
        LineModel current = models.current(line).orElse(null);
        if (bundle == null || current == null) {
            throw new IllegalStateException("line " + line + " has no model");
        }
        LineModel changed = new LineModel(current.detector(), threshold, current.modelId(), current.modelVersion());
        memory.save(line, new Saved(bundle.dir().toAbsolutePath(), bundle.id(), current.modelVersion(), threshold));
        models.activate(line, changed);
        return changed;
    }

    /** The bundle the line inspects with now. */
    public Optional<ModelBundle> activeBundle(String line) {
        return Optional.ofNullable(active.get(line));
    }

    // synchronized: the demo line's first model and an MES's switch may arrive at once; each must number from the other
    private synchronized LineModel activate(String line, ModelBundle bundle, Float threshold, Optional<Saved> saved)
            throws ModelException {
        if (threshold == null) {
            models.state(line, "model " + bundle.id() + " has no threshold yet: set daf.lines." + line + ".threshold");
            LOG.warnf("line %s: model %s has no threshold; frames stay UNKNOWN", line, bundle.id());
            return null;
        }
        int version = saved.map(s -> s.modelId().equals(bundle.id()) ? s.version() : s.version() + 1).orElse(1);
        Detector detector = Detectors.load(bundle, threads);
        LineModel model = new LineModel(detector, threshold, bundle.id(), version);
        try {
            memory.save(line, new Saved(bundle.dir().toAbsolutePath(), bundle.id(), version, threshold));
        } catch (RuntimeException e) {
            detector.close();
            throw e;
        }
        active.put(line, bundle);
        models.activate(line, model);
        return model;
    }

    private void fitDemoInBackground(String line, Path teacher, Path work, Float threshold) {
        models.state(line, "making a first model from demo parts");
        Thread t = new Thread(() -> {
            try {
                Path out = work.resolve("model-" + Instant.now().toString().replace(':', '-'));
                FirstModel.Result r = FirstModel.fitDemo(teacher, work.resolve("parts"), out,
                        msg -> {
                            models.state(line, "making a first model: " + msg);
                            LOG.infof("line %s: %s", line, msg);
                        });
                LOG.infof("line %s: first model %s, threshold %.4f (held-out demo parts: %.0f%% of defects caught, "
                        + "%.0f%% false alarms)", line, r.bundle().id(), r.threshold().threshold(),
                        100 * r.threshold().truePositiveRate(), 100 * r.threshold().falsePositiveRate());
                activate(line, r.bundle(), threshold != null ? threshold : r.threshold().threshold(),
                        memory.load(line));
            } catch (Exception e) {
                models.state(line, "first model failed: " + e.getMessage());
                LOG.errorf(e, "line %s: first model failed", line);
            }
        }, "first-model-" + line);
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }
}
