package io.dafedge.model.djl;

import java.util.List;
import java.util.function.Function;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import io.dafedge.model.onnx.OnnxGraphBuilder;

/**
 * ONNX BatchNormalization in inference form, {@code x * scale + shift} per channel with the running statistics folded
 * in. It behaves the same in training and evaluation: there are no batch statistics to track, so a frozen teacher
 * stays frozen, and a student trains {@code scale} and {@code shift} like a BN whose statistics are fixed.
 */
record AffineLayer(String input, String output, Parameter scale, Parameter shift) implements Layer {
    @Override
    public List<String> inputs() {
        return List.of(input);
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(scale, shift);
    }

    @Override
    public NDArray apply(List<NDArray> in, Function<Parameter, NDArray> values) {
        NDArray x = in.get(0);
        long c = x.getShape().get(1);
        return x.mul(values.apply(scale).reshape(1, c, 1, 1)).add(values.apply(shift).reshape(1, c, 1, 1));
    }

    /** Mul and Add with {@code (C, 1, 1)} constants: the same two roundings as {@link #apply}. */
    @Override
    public void export(OnnxGraphBuilder g) {
        long c = scale.getArray().size();
        String scaled = g.op("Mul", output + "/scaled",
                List.of(g.name(input), OnnxNetwork.initializer(g, scale, c, 1, 1)));
        g.op("Add", output, List.of(scaled, OnnxNetwork.initializer(g, shift, c, 1, 1)));
    }
}
