package io.dafedge.kernels;

/**
 * How {@link Ops#discrepancy} scales each channel before SSIM, from the channel's minimum and maximum over the map
 * (each map its own): the kernels' copy of {@code io.dafedge.model.daf.Normalisation}, which this package does not
 * depend on.
 */
public enum Scaling {
    /** {@code x / (max + EPS)} */
    MAX,
    /** {@code (x - min) / (max - min + EPS)}: onto [0, 1] */
    MIN_MAX,
    /** {@code x / (max(|min|, |max|) + EPS)}: onto [-1, 1] */
    MAX_ABS;

    /** The guard against a zero divisor (an all-zero or constant channel). */
    public static final float EPS = 1e-10f;

    /** The library's code (enum dk_scaling). */
    int code() {
        return ordinal();
    }
}
