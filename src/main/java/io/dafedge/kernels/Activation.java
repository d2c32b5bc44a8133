package io.dafedge.kernels;

/** What a convolution applies to its output, after bias and residual: fused, so it costs no extra pass. */
public enum Activation {
    NONE,
    /** max(x, 0) */
    RELU,
    /** min(max(x, 0), 6), MobileNetV2's */
    RELU6;

    /** The library's code (enum dk_act). */
    int code() {
        return ordinal();
    }
}
