package io.dafedge.model.djl;

import java.util.List;
import java.util.function.Function;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.pooling.Pool;
import io.dafedge.model.onnx.OnnxGraphBuilder;
import io.dafedge.model.onnx.OnnxWriter.Attribute;

/** ONNX MaxPool over two spatial axes without dilation (DJL's max pooling has none). */
record MaxPoolLayer(String input, String output, long[] kernel, long[] stride, Padding padding, boolean ceil)
        implements Layer {
    private static final long[] NO_DILATION = {1, 1};

    @Override
    public List<String> inputs() {
        return List.of(input);
    }

    @Override
    public NDArray apply(List<NDArray> in, Function<Parameter, NDArray> values) {
        NDArray x = in.get(0);
        Shape s = x.getShape();
        long[] p = padding.resolve(s.get(2), s.get(3), kernel, stride, NO_DILATION);
        // PyTorch pads symmetrically and at most half a window; anything else is padded here with -inf
        boolean byPyTorch = Padding.symmetric(p) && 2 * p[0] <= kernel[0] && 2 * p[1] <= kernel[1];
        return Pool.maxPool2d(byPyTorch ? x : Padding.explicit(x, p, Double.NEGATIVE_INFINITY), new Shape(kernel),
                new Shape(stride), byPyTorch ? new Shape(p[0], p[1]) : new Shape(0, 0), ceil);
    }

    @Override
    public void export(OnnxGraphBuilder g) {
        g.op("MaxPool", output, List.of(g.name(input)), Attribute.ints("kernel_shape", kernel),
                Attribute.ints("strides", stride), Attribute.of("ceil_mode", ceil ? 1L : 0L), padding.attribute());
    }
}
