package io.dafedge.train.metrics;

/** Average precision, the area under the precision-recall curve as scikit-learn's average_precision_score takes it. */
public final class AveragePrecision {
    private AveragePrecision() {
    }

    /**
     * The step-wise average precision of {@code scores} against {@code labels} (true = defect, the positive class):
     * the sum over distinct thresholds t, from the highest down, of (R(t) - R(previous t)) * P(t), where R and P are
     * recall and precision of "score &gt;= t". Tied scores form one threshold, so their order never matters. No
     * interpolation of the precision, as in scikit-learn. Same cost as {@link Auroc#of}.
     *
     * @return the AP in [0, 1], or NaN when there is no positive
     * @throws IllegalArgumentException if the arrays differ in length or a score is NaN
     */
    public static double of(float[] scores, boolean[] labels) {
        ScoreBins bins = ScoreBins.of(scores, labels);
        long positives = bins.positiveCount();
        if (positives == 0) {
            return Double.NaN;
        }
        ScoreBins.Sweep sweep = bins.sweep();
        double sum = 0;
        long tp = 0;
        while (sweep.next()) {
            long reached = sweep.truePositives();
            if (reached > tp) { // recall moves only here; elsewhere the term is zero
                sum += (reached - tp) * ((double) reached / (reached + sweep.falsePositives()));
                tp = reached;
            }
        }
        return sum / positives;
    }
}
