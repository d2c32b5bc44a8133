package io.dafedge.model.djl;

import java.util.List;
import java.util.function.Function;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;

/** ONNX BatchNormalization in a student: a trainable {@link BatchNorm2d} in place of the file's statistics. */
record NormLayer(String input, String output, BatchNorm2d norm) implements Layer {
    @Override
    public List<String> inputs() {
        return List.of(input);
    }

    @Override
    public List<Parameter> parameters() {
        return norm.parameters();
    }

    @Override
    public NDArray apply(List<NDArray> in, Function<Parameter, NDArray> values, boolean training) {
        return norm.apply(in.get(0), training);
    }
}
