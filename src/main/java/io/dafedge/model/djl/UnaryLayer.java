package io.dafedge.model.djl;

import java.util.List;
import java.util.function.Function;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import io.dafedge.model.onnx.OnnxGraphBuilder;

/** A parameter-free op of one input: Relu, Clip (bounds fixed at build time) or Identity, named by its ONNX op. */
record UnaryLayer(String input, String output, String opType, float lo, float hi) implements Layer {
    static UnaryLayer relu(String input, String output) {
        return new UnaryLayer(input, output, "Relu", 0, 0);
    }

    static UnaryLayer clip(String input, String output, float lo, float hi) {
        return new UnaryLayer(input, output, "Clip", lo, hi);
    }

    static UnaryLayer identity(String input, String output) {
        return new UnaryLayer(input, output, "Identity", 0, 0);
    }

    @Override
    public List<String> inputs() {
        return List.of(input);
    }

    @Override
    public NDArray apply(List<NDArray> in, Function<Parameter, NDArray> values) {
        NDArray x = in.get(0);
        return switch (opType) {
            case "Relu" -> x.maximum(0f);
            case "Clip" -> x.clip(lo, hi);
            default -> x;
        };
    }

    /** Clip's bounds are scalar inputs from operator set 11 on. */
    @Override
    public void export(OnnxGraphBuilder g) {
        String x = g.name(input);
        g.op(opType, output, opType.equals("Clip") ? List.of(x, g.scalar(lo), g.scalar(hi)) : List.of(x));
    }
}
