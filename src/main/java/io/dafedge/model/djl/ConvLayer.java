package io.dafedge.model.djl;

import java.util.List;
import java.util.function.Function;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import io.dafedge.model.onnx.OnnxGraphBuilder;
import io.dafedge.model.onnx.OnnxWriter.Attribute;

/** ONNX Conv over two spatial axes, grouped (depthwise) or not; {@code bias} is null when the node has none. */
record ConvLayer(String input, String output, Parameter weight, Parameter bias, long[] kernel, long[] stride,
                 long[] dilation, int group, Padding padding) implements Layer {
    @Override
    public List<String> inputs() {
        return List.of(input);
    }

    @Override
    public List<Parameter> parameters() {
        return bias == null ? List.of(weight) : List.of(weight, bias);
    }

    @Override
    public NDArray apply(List<NDArray> in, Function<Parameter, NDArray> values) {
        NDArray x = in.get(0);
        Shape s = x.getShape();
        long[] p = padding.resolve(s.get(2), s.get(3), kernel, stride, dilation);
        boolean symmetric = Padding.symmetric(p);
        return Conv2d.conv2d(symmetric ? x : Padding.explicit(x, p, 0),
                values.apply(weight), bias == null ? null : values.apply(bias),
                new Shape(stride), symmetric ? new Shape(p[0], p[1]) : new Shape(0, 0), new Shape(dilation), group)
                .singletonOrThrow();
    }

    @Override
    public void export(OnnxGraphBuilder g) {
        List<String> in = bias == null
                ? List.of(g.name(input), OnnxNetwork.initializer(g, weight))
                : List.of(g.name(input), OnnxNetwork.initializer(g, weight), OnnxNetwork.initializer(g, bias));
        g.op("Conv", output, in, Attribute.ints("kernel_shape", kernel), Attribute.ints("strides", stride),
                Attribute.ints("dilations", dilation), Attribute.of("group", group), padding.attribute());
    }
}
