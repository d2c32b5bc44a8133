package io.dafedge.kernels;

/**
 * A convolution's general epilogue, in place of its shape's {@link Activation}:
 * {@code output = min(max(min(max(conv + bias, lo), hi) + residual, residualLo), residualHi)}, the residual
 * counting as 0 when there is none. Infinite bounds clamp nothing. This is how a network converted from int8 clips
 * every layer's output to its quantisation range, before and after a residual add (MobileNetV2's linear bottleneck
 * then add), fused into the convolution rather than run as extra passes over its output.
 */
public record Epilogue(float lo, float hi, float residualLo, float residualHi) {
    /** Clamps nothing. */
    public static final Epilogue NONE = new Epilogue(Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);

    public Epilogue {
        if (Float.isNaN(lo) || Float.isNaN(hi) || Float.isNaN(residualLo) || Float.isNaN(residualHi)
                || lo > hi || residualLo > residualHi) {
            throw new IllegalArgumentException("clamp bounds must be numbers with lo <= hi: [" + lo + ", " + hi
                    + "], [" + residualLo + ", " + residualHi + "]");
        }
    }

    float[] toArray() {
        return new float[] {lo, hi, residualLo, residualHi};
    }
}
