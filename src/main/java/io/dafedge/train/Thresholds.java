package io.dafedge.train;

import java.util.Arrays;

/** Picking a line's threshold from scored examples whose truth is known. */
public final class Thresholds {
    private Thresholds() {
    }

    /** A threshold and how it splits the examples. */
    public record Choice(float threshold, double truePositiveRate, double falsePositiveRate) {
    }

    /**
     * The threshold (NOK iff score >= threshold) with the best balanced accuracy, i.e. the largest
     * true-positive rate minus false-positive rate; placed halfway between the two neighbouring scores it separates,
     * so small score noise does not flip the examples at its edge. Ties go to the higher threshold (fewer false
     * alarms). Needs at least one example of each kind.
     */
    public static Choice balanced(float[] good, float[] defective) {
        if (good.length == 0 || defective.length == 0) {
            throw new IllegalArgumentException("a threshold needs good and defective examples");
        }
        float[] all = new float[good.length + defective.length];
        System.arraycopy(good, 0, all, 0, good.length);
        System.arraycopy(defective, 0, all, good.length, defective.length);
        Arrays.sort(all);
        float[] g = good.clone();
        float[] d = defective.clone();
        Arrays.sort(g);
        Arrays.sort(d);
        Choice best = null;
        double bestJ = Double.NEGATIVE_INFINITY;
        // candidates: below everything, then between each pair of distinct neighbours, then above everything
        for (int i = 0; i <= all.length; i++) {
            float t;
            if (i == 0) {
                t = all[0];
            } else if (i == all.length) {
                t = Math.nextUp(all[all.length - 1]);
            } else if (all[i] > all[i - 1]) {
                t = all[i - 1] + (all[i] - all[i - 1]) / 2;
                if (!(t > all[i - 1])) {
                    t = all[i];
                }
            } else {
                continue;
            }
            double tpr = atOrAbove(d, t) / (double) d.length;
            double fpr = atOrAbove(g, t) / (double) g.length;
            double j = tpr - fpr;
            if (j >= bestJ) {
                bestJ = j;
                best = new Choice(t, tpr, fpr);
            }
        }
        return best;
    }

    private static int atOrAbove(float[] sorted, float t) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return sorted.length - lo;
    }
}
