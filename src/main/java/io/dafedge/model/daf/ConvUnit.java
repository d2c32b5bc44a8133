package io.dafedge.model.daf;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import io.dafedge.kernels.Activation;
import io.dafedge.kernels.ConvShape;
import io.dafedge.model.djl.CompiledNetwork;
import io.dafedge.model.djl.OnnxNetwork;
import io.dafedge.model.onnx.OnnxGraphBuilder;
import io.dafedge.model.onnx.OnnxWriter.Attribute;

/**
 * One same-size convolution of DAF's own layers (fusion, decoder, boost heads): stride 1, zero padding
 * {@code kernel / 2}. One followed by batch normalisation has no bias (BN's shift makes it redundant). Weights and
 * bias start as PyTorch's default for a fresh layer, uniform in {@code +-1/sqrt(fan_in)}, drawn from the caller's
 * seeded generator.
 */
final class ConvUnit {
    private final Parameter weight;
    private final Parameter bias;
    private final int kernel;

    ConvUnit(String name, int in, int out, int kernel, boolean withBias, SplittableRandom random, NDManager manager) {
        this.kernel = kernel;
        int fanIn = in * kernel * kernel;
        double bound = 1 / Math.sqrt(fanIn);
        weight = parameter(name + ".weight", Parameter.Type.WEIGHT, uniform(out * fanIn, bound, random),
                new Shape(out, in, kernel, kernel), true, manager);
        bias = withBias ? parameter(name + ".bias", Parameter.Type.BIAS, uniform(out, bound, random), new Shape(out),
                true, manager) : null;
    }

    List<Parameter> parameters() {
        return bias == null ? List.of(weight) : List.of(weight, bias);
    }

    NDArray apply(NDArray x) {
        int pad = kernel / 2;
        Shape unit = new Shape(1, 1);
        return Conv2d.conv2d(x, weight.getArray(), bias == null ? null : bias.getArray(), unit, new Shape(pad, pad),
                unit, 1).singletonOrThrow();
    }

    /** {@link #apply} as an ONNX Conv holding the current weights; returns the output's name. */
    String export(OnnxGraphBuilder g, String out, String in) {
        String w = OnnxNetwork.initializer(g, weight);
        List<String> inputs = bias == null ? List.of(in, w) : List.of(in, w, OnnxNetwork.initializer(g, bias));
        int pad = kernel / 2;
        return g.op("Conv", out, inputs, Attribute.ints("kernel_shape", kernel, kernel),
                Attribute.ints("pads", pad, pad, pad, pad));
    }

    /**
     * This convolution on the native kernels with {@code norm}'s inference scale and shift folded into its weights
     * and bias ({@code norm} may be null); output channel {@code o} takes BN channel {@code o / share}, so that a
     * depth-to-space after the convolution ({@code share} 4) still meets the BN it had in front.
     */
    io.dafedge.kernels.Conv2d compile(CompiledNetwork.ConvFactory factory, BatchNormRelu norm, int share, Activation activation) {
        float[] w = weight.getArray().toFloatArray();
        int out = (int) weight.getArray().getShape().get(0);
        float[] b = bias == null ? new float[out] : bias.getArray().toFloatArray();
        if (norm != null) {
            float[] scale = norm.scale();
            float[] shift = norm.shift();
            int perFilter = w.length / out;
            for (int o = 0; o < out; o++) {
                float k = scale[o / share];
                for (int i = o * perFilter; i < (o + 1) * perFilter; i++) {
                    w[i] *= k;
                }
                b[o] = b[o] * k + shift[o / share];
            }
        }
        int in = (int) weight.getArray().getShape().get(1);
        ConvShape shape = ConvShape.of(in, out, kernel).withPadding(kernel / 2).withActivation(activation);
        return factory.create(shape, w, b, null);
    }

    /** The weight's parameter name and its native shape (stride 1, same padding). */
    String weightName() {
        return weight.getName();
    }

    ConvShape shape() {
        long[] s = weight.getArray().getShape().getShape();
        return ConvShape.of((int) s[1], (int) s[0], kernel).withPadding(kernel / 2);
    }

    /** Multiply-accumulates for an output of {@code h x w} pixels. */
    long macs(long h, long w) {
        return weight.getArray().size() * h * w;
    }

    static Parameter parameter(String name, Parameter.Type type, float[] values, Shape shape, boolean trainable,
                               NDManager manager) {
        Parameter p = Parameter.builder().setName(name).setType(type).optRequiresGrad(trainable).build();
        p.setArray(manager.create(values, shape));
        p.freeze(!trainable);
        return p;
    }

    static float[] filled(int n, float value) {
        float[] v = new float[n];
        Arrays.fill(v, value);
        return v;
    }

    private static float[] uniform(int n, double bound, SplittableRandom random) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        return v;
    }
}
