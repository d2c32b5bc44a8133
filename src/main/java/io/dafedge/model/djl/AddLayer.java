package io.dafedge.model.djl;

import java.util.List;
import java.util.function.Function;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import io.dafedge.model.onnx.OnnxGraphBuilder;

/** ONNX Add of two computed values (residual connections), with NumPy broadcasting as in ONNX and PyTorch. */
record AddLayer(String left, String right, String output) implements Layer {
    @Override
    public List<String> inputs() {
        return List.of(left, right);
    }

    @Override
    public NDArray apply(List<NDArray> in, Function<Parameter, NDArray> values) {
        return in.get(0).add(in.get(1));
    }

    @Override
    public void export(OnnxGraphBuilder g) {
        g.op("Add", output, List.of(g.name(left), g.name(right)));
    }
}
