package io.dafedge.train.metrics;

import java.util.function.IntPredicate;

/** Area under the ROC curve, for image scores and for pixel scores alike. */
public final class Auroc {
    private Auroc() {
    }

    /**
     * The area under the ROC curve of {@code scores} against {@code labels} (true = defect, the positive class):
     * the trapezoidal ROC over all distinct thresholds, which equals the Mann-Whitney U / (P * N), a tie between a
     * positive and a negative counting one half. Exact: the area is summed in integers. Tens of millions of pixels
     * take about a second; memory grows with the positives only (at most about 32 bytes each), plus at most 8 MB
     * for a block of negatives.
     *
     * @return the AUROC in [0, 1], or NaN when either class is absent
     * @throws IllegalArgumentException if the arrays differ in length or a score is NaN
     */
    public static double of(float[] scores, boolean[] labels) {
        return area(ScoreBins.of(scores, labels));
    }

    /**
     * The same with only the positives at the indices {@code counted} accepts, against every negative: one defect
     * type's pixels against all normal pixels of a test set, without copying the pixels.
     */
    public static double of(float[] scores, boolean[] labels, IntPredicate counted) {
        return area(ScoreBins.of(scores, labels, counted));
    }

    private static double area(ScoreBins bins) {
        long positives = bins.positiveCount();
        long negatives = bins.negativeCount();
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        ScoreBins.Sweep sweep = bins.sweep();
        long twiceArea = 0; // at most 2 * P * N, below 2^63 for any array length
        long tp = 0;
        long fp = 0;
        while (sweep.next()) {
            twiceArea += (sweep.falsePositives() - fp) * (sweep.truePositives() + tp);
            tp = sweep.truePositives();
            fp = sweep.falsePositives();
        }
        return twiceArea / (2.0 * positives * negatives);
    }
}
