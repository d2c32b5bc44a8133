package io.dafedge.train;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One on-site training run as the appliance shows and stores it: what was asked, how far it got, and at the end the
 * new model with its evaluation next to the line's active model. Immutable: {@link SiteTraining} replaces the
 * snapshot at each change.
 *
 * @param minutes   the wall-clock budget of the training itself (the teacher's features included, the evaluation
 *                  afterwards not)
 * @param fraction  of the budget used, 0..1
 * @param epoch     the epoch under way; null before the first step
 * @param etaSeconds until the training ends; null once it has (the evaluation takes seconds to a minute more)
 * @param losses    the latest loss report; null before the first
 * @param history   earlier loss reports, oldest first, thinned to at most {@link SiteTraining#MAX_HISTORY}
 * @param modelId   the new bundle's id, once it is complete; {@code modelDir} its folder
 * @param evaluation the new and the active model on the line's reviewed frames; null until the run succeeds
 */
public record TrainingRun(UUID id, String line, String strategy, double minutes, int threads, String startedBy,
        State state, Instant createdAt, Instant startedAt, Instant finishedAt, double fraction, Integer epoch,
        Double etaSeconds, Losses losses, List<Losses> history, String message, String modelId, String modelDir,
        Comparison evaluation) {

    public enum State {
        QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED, ABORTED;

        public boolean finished() {
            return this != QUEUED && this != RUNNING;
        }
    }

    /**
     * The mean losses since the previous report, at {@code seconds} into the training: per feature level, the
     * segmentation and boost heads, and the total that is minimised.
     */
    public record Losses(double seconds, long step, float level1, float level2, float level3, float segmentation,
            float boost, float total) {
    }

    /**
     * Both models on the same reviewed frames ({@code good} + {@code defective} pictures that are not training
     * material). {@code active} is null when the line had no model.
     */
    public record Comparison(int good, int defective, ModelScore candidate, ModelScore active) {
    }

    /**
     * One model on the reviewed frames at its threshold: right verdicts, good parts called NOK, defective parts
     * called OK. {@code auroc} is null unless both classes were reviewed.
     *
     * @param thresholdSource how the threshold was chosen (for the active model: the line's threshold)
     */
    public record ModelScore(String modelId, float threshold, String thresholdSource, Double auroc, int correct,
            int falseAlarms, int misses) {
    }

    TrainingRun with(State state, String message) {
        return new TrainingRun(id, line, strategy, minutes, threads, startedBy, state, createdAt, startedAt,
                state.finished() ? Instant.now() : finishedAt, fraction, epoch, state.finished() ? null : etaSeconds,
                losses, history, message, modelId, modelDir, evaluation);
    }

    TrainingRun started(Instant at, double etaSeconds) {
        return new TrainingRun(id, line, strategy, minutes, threads, startedBy, State.RUNNING, createdAt, at,
                finishedAt, 0, epoch, etaSeconds, losses, history, "reading the collected frames", modelId, modelDir,
                evaluation);
    }

    TrainingRun progressed(double fraction, Integer epoch, Double etaSeconds, Losses losses, List<Losses> history,
            String message) {
        return new TrainingRun(id, line, strategy, minutes, threads, startedBy, state, createdAt, startedAt,
                finishedAt, fraction, epoch, etaSeconds, losses, history, message, modelId, modelDir, evaluation);
    }

    TrainingRun succeeded(String modelId, String modelDir, Comparison evaluation, String message) {
        return new TrainingRun(id, line, strategy, minutes, threads, startedBy, State.SUCCEEDED, createdAt, startedAt,
                Instant.now(), 1, epoch, null, losses, history, message, modelId, modelDir, evaluation);
    }
}
