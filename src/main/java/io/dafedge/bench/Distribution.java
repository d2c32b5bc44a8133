package io.dafedge.bench;

import java.util.Arrays;

/** Median, 99th percentile and maximum of a set of measurements (nearest rank); NaN when there are none. */
public record Distribution(double p50, double p99, double max, int count) {
    public static Distribution of(double[] values) {
        if (values.length == 0) {
            return new Distribution(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        double[] v = values.clone();
        Arrays.sort(v);
        return new Distribution(rank(v, 0.50), rank(v, 0.99), v[v.length - 1], v.length);
    }

    private static double rank(double[] sorted, double p) {
        return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
    }
}
