package io.dafedge.model;

import io.dafedge.model.daf.DafBundle;
import io.dafedge.model.daf.DafScoring;

/**
 * The thresholds that make sense for a method's image scores. Every method's score is at least 0, so a threshold
 * at or below 0 would call every part NOK. DAF's score is bounded: each of its three discrepancy levels is
 * (1 - SSIM) + (1 - cos), at most 4, plus three times a probability, so at most 15; above it no part is ever NOK.
 * PaDiM's and PatchCore's are distances without a bound (about 30 on the demo line); the cap only catches typos.
 */
public record ScoreRange(double max) {
    static final double DAF_MAX = 3 * 4 + DafScoring.SEGMENTATION_WEIGHT;
    static final double DISTANCE_MAX = 1e6;

    public static ScoreRange of(String method) {
        return new ScoreRange(DafBundle.METHOD.equals(method) ? DAF_MAX : DISTANCE_MAX);
    }

    public boolean admits(double threshold) {
        return Double.isFinite(threshold) && threshold > 0 && threshold <= max;
    }

    /**
     * {@code requested} as a line holds it (a float), checked against the range of the method's scores.
     *
     * @throws IllegalArgumentException naming the range when the threshold is outside it
     */
    public static float threshold(double requested, String method) {
        float t = (float) requested;
        ScoreRange range = of(method);
        if (!range.admits(t)) {
            throw new IllegalArgumentException("threshold " + requested + " is out of range for a " + method
                    + " model: " + range);
        }
        return t;
    }

    @Override
    public String toString() {
        return "above 0 and at most " + (max == Math.rint(max) ? Long.toString((long) max) : Double.toString(max));
    }
}
