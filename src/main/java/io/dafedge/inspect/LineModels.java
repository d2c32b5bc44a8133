package io.dafedge.inspect;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

/**
 * The model each line is inspected with right now, and what the line is doing while it has none. A model is swapped
 * under the line's lock, which every inspection of the line also holds, so the old detector is closed only when no
 * frame uses it, and one detector never runs two frames at once (the detectors are not required to be thread-safe,
 * and on a 2-core box two at once would only fight over the cores).
 */
public final class LineModels implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LineModels.class);

    /** A line's model, or null, and a short human-readable state ("collecting good frames", "fitting a first model"). */
    private static final class Slot {
        private LineModel model;
        private volatile String state = "collecting good frames";
    }

    private final Map<String, Slot> slots = new ConcurrentHashMap<>();

    private Slot slot(String line) {
        return slots.computeIfAbsent(line, l -> new Slot());
    }

    /**
     * Runs {@code work} (an inspection that reads the model through {@link #current}) while the line's model cannot
     * be swapped and no other frame of the line runs.
     */
    public <T> T locked(String line, Supplier<T> work) {
        Slot s = slot(line);
        synchronized (s) {
            return work.get();
        }
    }

    /** The line's model now; run its detector only inside {@link #locked}. */
    public Optional<LineModel> current(String line) {
        Slot s = slot(line);
        synchronized (s) {
            return Optional.ofNullable(s.model);
        }
    }

    /** Makes {@code model} the line's model; the previous one is closed once its frame (if any) is done. */
    public void activate(String line, LineModel model) {
        Slot s = slot(line);
        LineModel old;
        synchronized (s) {
            old = s.model;
            s.model = model;
            s.state = "inspecting";
        }
        LOG.infof("line %s: inspecting with model %s (version %d), threshold %s", line, model.modelId(),
                model.modelVersion(), model.threshold());
        if (old != null && old.detector() != model.detector()) {
            old.detector().close();
        }
    }

    public void state(String line, String state) {
        slot(line).state = state;
    }

    public String state(String line) {
        return slot(line).state;
    }

    @Override
    public void close() {
        for (Slot s : slots.values()) {
            synchronized (s) {
                if (s.model != null) {
                    s.model.detector().close();
                    s.model = null;
                }
            }
        }
    }
}
