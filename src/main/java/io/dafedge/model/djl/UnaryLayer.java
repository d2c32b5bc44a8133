package io.dafedge.model.djl;

import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;

/** A parameter-free op of one input: Relu, Clip (bounds fixed at build time) and Identity. */
record UnaryLayer(String input, String output, UnaryOperator<NDArray> op) implements Layer {
    static UnaryLayer clip(String input, String output, float lo, float hi) {
        return new UnaryLayer(input, output, x -> x.clip(lo, hi));
    }

    static UnaryLayer identity(String input, String output) {
        return new UnaryLayer(input, output, x -> x);
    }

    @Override
    public List<String> inputs() {
        return List.of(input);
    }

    @Override
    public NDArray apply(List<NDArray> in, Function<Parameter, NDArray> values) {
        return op.apply(in.get(0));
    }
}
