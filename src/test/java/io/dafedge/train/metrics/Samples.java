package io.dafedge.train.metrics;

import java.util.SplittableRandom;

/** Random labelled scores for the tests. */
record Samples(float[] scores, boolean[] labels) {
    /**
     * n scores, each positive with the given probability; with {@code levels} &gt; 0 the scores are the integers
     * -levels/2 .. levels/2 - 1 (many ties, negative scores too), otherwise continuous; positives score a little
     * higher on average, so the metrics are neither trivial nor one half.
     */
    static Samples random(SplittableRandom random, int n, double positiveRate, int levels) {
        float[] scores = new float[n];
        boolean[] labels = new boolean[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextDouble() < positiveRate;
            double u = Math.min(0.999_999, random.nextDouble() + (labels[i] ? 0.2 * random.nextDouble() : 0));
            scores[i] = levels > 0 ? (float) (Math.floor(u * levels) - levels / 2) : (float) (u - 0.5);
        }
        return new Samples(scores, labels);
    }
}
