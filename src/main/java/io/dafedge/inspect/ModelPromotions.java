package io.dafedge.inspect;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

import io.dafedge.model.ModelBundle;
import io.dafedge.model.ModelCatalog;
import io.dafedge.model.ModelException;
import io.dafedge.model.ModelSummary;
import io.dafedge.model.ScoreRange;

/**
 * An engineer makes a known bundle a line's model (a promotion), and takes promotions back (a rollback), each
 * recorded with who and when. A promotion remembers what the line had before; a rollback restores that model and
 * threshold and marks the promotion rolled back, so rollbacks walk back through the promotions one at a time
 * (promote A, promote B, roll back: A; roll back again: what the line had before A).
 */
public final class ModelPromotions {
    /**
     * A promotion on a line: the model and threshold it made active, and the ones the line had before (null when
     * it had no model).
     *
     * @param rolledBackBy null while the promotion stands
     */
    public record Promotion(long id, String line, String modelId, Path bundle, float threshold, String promotedBy,
            Instant promotedAt, String previousModelId, Path previousBundle, Float previousThreshold,
            String rolledBackBy, Instant rolledBackAt) {
    }

    /** Where promotions are recorded. */
    public interface History {
        /** Records a new promotion (its id is ignored) and returns it with the id it got. */
        Promotion add(Promotion p);

        /** The line's newest promotion that was not rolled back. */
        Optional<Promotion> lastStanding(String line);

        void rolledBack(long id, String by, Instant at);

        /** The line's promotions, newest first. */
        List<Promotion> list(String line, int limit);
    }

    private final Appliance appliance;
    private final LineSetup setup;
    private final ModelCatalog catalog;
    private final History history;
    private final Clock clock;

    public ModelPromotions(Appliance appliance, LineSetup setup, ModelCatalog catalog, History history, Clock clock) {
        this.appliance = appliance;
        this.setup = setup;
        this.catalog = catalog;
        this.history = history;
        this.clock = clock;
    }

    /**
     * Makes the known bundle {@code modelId} the line's model; returns once it inspects.
     *
     * @param threshold null: the one the bundle records
     * @throws NoSuchElementException   for an unknown line or model
     * @throws IllegalArgumentException when no threshold is given and the bundle records none, or it is out of the
     *                                  range of the model's scores
     * @throws IllegalStateException    when the bundle cannot be loaded (the line keeps its model)
     */
    public synchronized LineModel promote(String line, String modelId, Double threshold, String who) {
        line(line);
        ModelBundle bundle = catalog.find(modelId).orElseThrow(() -> new NoSuchElementException("no known model '"
                + modelId + "'"));
        Double t = threshold != null ? threshold : ModelSummary.of(bundle).threshold();
        if (t == null) {
            throw new IllegalArgumentException("model " + modelId + " records no threshold in its manifest: give"
                    + " one (the suggested threshold on the settings page is chosen from the line's reviewed"
                    + " frames)");
        }
        float chosen = ScoreRange.threshold(t, bundle.method());
        Optional<ModelBundle> before = setup.activeBundle(line);
        Optional<LineModel> beforeModel = appliance.models().current(line);
        LineModel now = switchTo(line, bundle, chosen);
        boolean hadOne = before.isPresent() && beforeModel.isPresent();
        history.add(new Promotion(0, line, bundle.id(), bundle.dir().toAbsolutePath(), chosen, who, clock.instant(),
                hadOne ? before.get().id() : null, hadOne ? before.get().dir().toAbsolutePath() : null,
                hadOne ? beforeModel.get().threshold() : null, null, null));
        return now;
    }

    /**
     * Restores the model and threshold the line had before its last standing promotion.
     *
     * @throws NoSuchElementException for an unknown line
     * @throws IllegalStateException  when there is nothing to roll back to, the line's model changed since the
     *                                promotion (an MES command, say), or the previous model cannot be loaded
     */
    public synchronized LineModel rollback(String line, String who) {
        line(line);
        Promotion last = history.lastStanding(line).orElseThrow(() -> new IllegalStateException("line " + line
                + " has no promotion to roll back"));
        if (last.previousModelId() == null) {
            throw new IllegalStateException("line " + line + " had no model before " + last.modelId()
                    + " was promoted on " + last.promotedAt() + ": there is nothing to roll back to");
        }
        String current = appliance.models().current(line).map(LineModel::modelId).orElse("none");
        if (!current.equals(last.modelId())) {
            throw new IllegalStateException("line " + line + " inspects with model " + current + ", not with "
                    + last.modelId() + " promoted last (it was changed elsewhere since, by an MES command or the"
                    + " configuration): promote the model you want instead");
        }
        ModelBundle previous = catalog.find(last.previousModelId()).or(() -> recorded(last))
                .orElseThrow(() -> new IllegalStateException("the previous model " + last.previousModelId()
                        + " is no longer on disk (it was in " + last.previousBundle() + ")"));
        LineModel now = switchTo(line, previous, last.previousThreshold());
        history.rolledBack(last.id(), who, clock.instant());
        return now;
    }

    /** The line's promotions, newest first. */
    public List<Promotion> history(String line, int limit) {
        line(line);
        return history.list(line, limit);
    }

    // the path was recorded by a promotion from a catalogued bundle, never taken from a request
    private static Optional<ModelBundle> recorded(Promotion p) {
        try {
            ModelBundle b = ModelBundle.open(p.previousBundle());
            return b.id().equals(p.previousModelId()) ? Optional.of(b) : Optional.empty();
        } catch (ModelException e) {
            return Optional.empty();
        }
    }

    private LineModel switchTo(String line, ModelBundle bundle, float threshold) {
        String before = appliance.models().current(line).map(LineModel::modelId).orElse("none");
        try {
            return setup.switchModel(line, bundle, threshold);
        } catch (ModelException | RuntimeException e) {
            throw new IllegalStateException("model " + bundle.id() + " could not be made active (" + e.getMessage()
                    + "); the line keeps model " + before, e);
        }
    }

    private void line(String line) {
        if (!appliance.lines().contains(line)) {
            throw new NoSuchElementException("no line '" + line + "' (lines: " + appliance.lines() + ")");
        }
    }
}
