package io.dafedge.model.djl;

import java.util.Arrays;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.dafedge.model.ModelException;
import io.dafedge.model.onnx.OnnxNode;
import io.dafedge.model.onnx.OnnxWriter.Attribute;

/**
 * ONNX padding of the two spatial axes of a Conv or pooling node: explicit {@code pads} (top, left, bottom, right)
 * or an {@code auto_pad} rule, which depends on the input size and so is resolved per call.
 */
record Padding(String autoPad, long[] pads) {
    private static final List<String> AUTO_PADS = List.of("NOTSET", "VALID", "SAME_UPPER", "SAME_LOWER");

    static Padding of(OnnxNode node) throws ModelException {
        String autoPad = node.stringAttr("auto_pad", "NOTSET");
        if (!AUTO_PADS.contains(autoPad)) {
            throw new ModelException(node + ": auto_pad '" + autoPad + "' is not one of " + AUTO_PADS);
        }
        long[] pads = node.intsAttr("pads", new long[4]);
        if (pads.length != 4 || Arrays.stream(pads).anyMatch(p -> p < 0)) {
            throw new ModelException(node + ": pads " + Arrays.toString(pads) + " are not 4 non-negative numbers");
        }
        return new Padding(autoPad, autoPad.equals("NOTSET") ? pads : new long[4]);
    }

    /** Top, left, bottom, right padding for an input of {@code height x width}. */
    long[] resolve(long height, long width, long[] kernel, long[] stride, long[] dilation) {
        if (!autoPad.startsWith("SAME")) {
            return pads.clone();
        }
        long[] in = {height, width};
        long[] out = new long[4];
        for (int axis = 0; axis < 2; axis++) {
            long outSize = (in[axis] + stride[axis] - 1) / stride[axis];
            long total = Math.max(0, (outSize - 1) * stride[axis] + (kernel[axis] - 1) * dilation[axis] + 1 - in[axis]);
            long small = total / 2;
            boolean extraAtEnd = autoPad.equals("SAME_UPPER");
            out[axis] = extraAtEnd ? small : total - small;
            out[axis + 2] = total - out[axis];
        }
        return out;
    }

    /** The node attribute that gives this padding: the auto_pad rule where the size decides, else the pads. */
    Attribute attribute() {
        return autoPad.startsWith("SAME") ? Attribute.of("auto_pad", autoPad) : Attribute.ints("pads", pads);
    }

    static boolean symmetric(long[] p) {
        return p[0] == p[2] && p[1] == p[3];
    }

    /** The input padded explicitly, for the asymmetric cases PyTorch's ops cannot express. */
    static NDArray explicit(NDArray x, long[] p, double fill) {
        return x.pad(new Shape(p[1], p[3], p[0], p[2]), fill);
    }
}
