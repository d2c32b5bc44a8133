package io.dafedge.inspect;

import java.util.Arrays;
import java.util.List;

import io.dafedge.train.Thresholds;

/**
 * What a line's reviewed frames say about a threshold: how many verdicts a change would flip, and how many false
 * alarms and misses the operators' labels count at either threshold; and a suggested threshold. Works on the scores
 * of one model (scores of different models are not comparable) and judges every frame again at the threshold in
 * question (NOK iff score >= threshold), not by the verdict it had, which may have come from an older threshold.
 */
public final class ThresholdAdvice {
    private ThresholdAdvice() {
    }

    /** A reviewed frame: the line's model's score and what the operator says the part is. */
    public record Reviewed(double score, boolean defective) {
    }

    /** How a threshold splits the reviewed frames against their labels. */
    public record Split(double threshold, int falseAlarms, int misses) {
    }

    /**
     * @param okToNok frames OK at the current threshold that the proposed one calls NOK
     * @param nokToOk frames NOK at the current threshold that the proposed one calls OK
     */
    public record Preview(int reviewed, int good, int defective, int okToNok, int nokToOk, Split current,
            Split proposed) {
    }

    /** A suggested threshold, and the share of reviewed defective and good frames it calls NOK. */
    public record Suggestion(float threshold, int good, int defective, double caught, double falseAlarmRate) {
    }

    public static Preview preview(List<Reviewed> frames, double current, double proposed) {
        int good = 0;
        int okToNok = 0;
        int nokToOk = 0;
        for (Reviewed r : frames) {
            boolean before = r.score() >= current;
            boolean after = r.score() >= proposed;
            if (!before && after) {
                okToNok++;
            } else if (before && !after) {
                nokToOk++;
            }
            good += r.defective() ? 0 : 1;
        }
        return new Preview(frames.size(), good, frames.size() - good, okToNok, nokToOk, split(frames, current),
                split(frames, proposed));
    }

    static Split split(List<Reviewed> frames, double threshold) {
        int falseAlarms = 0;
        int misses = 0;
        for (Reviewed r : frames) {
            boolean nok = r.score() >= threshold;
            if (nok && !r.defective()) {
                falseAlarms++;
            } else if (!nok && r.defective()) {
                misses++;
            }
        }
        return new Split(threshold, falseAlarms, misses);
    }

    /**
     * The threshold with the best balanced accuracy on the reviewed frames ({@link Thresholds#balanced}: the most
     * defects caught minus good parts flagged, each as a share of its kind, so a class with few reviews counts as
     * much as a class with many). It needs both kinds: from good frames alone the only rule left is "just above the
     * highest good score", which any good part a little out of the ordinary crosses, so the line floods with false
     * alarms; from defective frames alone it would drop to the lowest defect score and call ordinary parts NOK.
     *
     * @throws IllegalStateException saying what is missing when the frames do not have both kinds
     */
    public static Suggestion suggest(List<Reviewed> frames) {
        float[] good = scores(frames, false);
        float[] defective = scores(frames, true);
        if (good.length == 0 || defective.length == 0) {
            throw new IllegalStateException("no suggestion: the reviewed frames judged by the line's current model"
                    + " include " + defective.length + " defective and " + good.length + " good ones; a threshold"
                    + " needs both kinds (from good frames alone it floods the line with false alarms). Review"
                    + " more frames, marking the defective ones.");
        }
        Thresholds.Choice c = Thresholds.balanced(good, defective);
        return new Suggestion(c.threshold(), good.length, defective.length, c.truePositiveRate(),
                c.falsePositiveRate());
    }

    /** The scores of one kind, as the floats the detectors gave. */
    private static float[] scores(List<Reviewed> frames, boolean defective) {
        float[] out = new float[frames.size()];
        int n = 0;
        for (Reviewed r : frames) {
            if (r.defective() == defective) {
                out[n++] = (float) r.score();
            }
        }
        return Arrays.copyOf(out, n);
    }
}
