package io.dafedge.model.djl;

import java.util.List;
import java.util.function.Function;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import io.dafedge.model.onnx.OnnxGraphBuilder;

/** One ONNX node as a step of {@link OnnxNetwork}: reads named values, writes one. Weights are held as parameters. */
interface Layer {
    /** The data values read, in ONNX input order; weights and constant bounds are not among them. */
    List<String> inputs();

    String output();

    /** {@code values} gives a parameter's array on the input's device (DJL's ParameterStore decides which copy). */
    NDArray apply(List<NDArray> in, Function<Parameter, NDArray> values);

    /**
     * Appends to {@code g} the standard ONNX ops that compute what {@link #apply} does, reading and writing the same
     * value names (local to {@code g}) and holding the parameters' current values.
     */
    void export(OnnxGraphBuilder g);

    default List<Parameter> parameters() {
        return List.of();
    }
}
