package io.dafedge.model.daf;

import java.util.List;

import ai.djl.ndarray.NDArray;
import io.dafedge.model.onnx.OnnxGraphBuilder;

/**
 * How {@code n()} scales each channel of a feature map before SSIM: {@code (x - shift) / divisor}, with both taken
 * from the channel's minimum and maximum over the map (the reflect padding adds no new values, so the statistics of
 * the unpadded channel are those of the padded one).
 *
 * <p>{@link #MAX} is the reference's choice and suits a non-negative (ReLU) teacher. A signed teacher such as the
 * shared MobileNetV2, whose linear-bottleneck outputs are about half negative, sends it far outside [0, 1] (down to
 * about -80) where SSIM's constants, set for data range 1, stop meaning anything; {@link #MIN_MAX}, the method notes'
 * recommendation, maps every channel onto [0, 1] and is therefore {@link #forTeacher the default} for signed
 * features. {@link #MAX_ABS} (onto [-1, 1], keeping zero and sign) is the notes' other suggestion.
 */
public enum Normalisation {
    /** {@code x / (max + 1e-10)}, as the reference's {@code ssim_norm}. */
    MAX,
    /** {@code (x - min) / (max - min + 1e-10)}: onto [0, 1] whatever the sign. */
    MIN_MAX,
    /** {@code x / (max(|min|, |max|) + 1e-10)}: onto [-1, 1]. */
    MAX_ABS;

    /** The reference's guard against a zero divisor (an all-zero channel). */
    public static final float EPS = 1e-10f;

    /** {@link #MIN_MAX} for a teacher with signed outputs, the reference's {@link #MAX} otherwise. */
    public static Normalisation forTeacher(boolean signedFeatures) {
        return signedFeatures ? MIN_MAX : MAX;
    }

    /** One value of a channel whose extremes are {@code min} and {@code max}, in double (plain-Java path). */
    double apply(double x, double min, double max) {
        return switch (this) {
            case MAX -> x / (max + EPS);
            case MIN_MAX -> (x - min) / (max - min + EPS);
            case MAX_ABS -> x / (Math.max(Math.abs(min), Math.abs(max)) + EPS);
        };
    }

    /** The same, differentiably, on arrays whose {@code min} and {@code max} broadcast against {@code x}. */
    NDArray apply(NDArray x, NDArray min, NDArray max) {
        return switch (this) {
            case MAX -> x.div(max.add(EPS));
            case MIN_MAX -> x.sub(min).div(max.sub(min).add(EPS));
            case MAX_ABS -> x.div(min.abs().maximum(max.abs()).add(EPS));
        };
    }

    /** The same as ONNX ops on the values named {@code x}, {@code min} and {@code max}; returns {@code out}'s name. */
    String export(OnnxGraphBuilder g, String out, String x, String min, String max) {
        String eps = g.scalar(EPS);
        String divisor = out + "/divisor";
        return switch (this) {
            case MAX -> g.op("Div", out, List.of(x, g.op("Add", divisor, List.of(max, eps))));
            case MIN_MAX -> g.op("Div", out, List.of(g.op("Sub", out + "/shifted", List.of(x, min)),
                    g.op("Add", divisor, List.of(g.op("Sub", out + "/range", List.of(max, min)), eps))));
            case MAX_ABS -> g.op("Div", out, List.of(x, g.op("Add", divisor, List.of(g.op("Max", out + "/largest",
                    List.of(g.op("Abs", out + "/abs_min", List.of(min)), g.op("Abs", out + "/abs_max", List.of(max)))),
                    eps))));
        };
    }
}
