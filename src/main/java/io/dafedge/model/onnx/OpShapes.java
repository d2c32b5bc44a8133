package io.dafedge.model.onnx;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.dafedge.model.ModelException;

/**
 * Per-operator shape rules for the ops of CNN backbones (ONNX semantics), with each node's multiply-accumulate count.
 * Input shapes come aligned with the node's inputs, null for an omitted optional input.
 */
final class OpShapes {
    /** The shapes of a node's outputs in order (a rule may know more outputs than a node uses) and its MACs. */
    record Result(List<long[]> outputs, long macs) {
    }

    @FunctionalInterface
    interface Rule {
        Result apply(OnnxNode node, List<long[]> inputs) throws ModelException;
    }

    static final Map<String, Rule> RULES = Map.of(
            "Identity", OpShapes::elementwise,
            "Relu", OpShapes::elementwise,
            "Clip", OpShapes::elementwise,
            "Add", OpShapes::broadcast,
            "BatchNormalization", OpShapes::batchNormalization,
            "Conv", OpShapes::conv,
            "MaxPool", OpShapes::maxPool,
            "AveragePool", OpShapes::pool,
            "GlobalAveragePool", OpShapes::globalPool);

    private OpShapes() {
    }

    private static Result elementwise(OnnxNode node, List<long[]> in) throws ModelException {
        return new Result(List.of(required(node, in, 0)), 0);
    }

    /** Multidirectional (NumPy) broadcasting. */
    private static Result broadcast(OnnxNode node, List<long[]> in) throws ModelException {
        long[] a = required(node, in, 0);
        long[] b = required(node, in, 1);
        int rank = Math.max(a.length, b.length);
        long[] y = new long[rank];
        for (int i = 0; i < rank; i++) {
            long da = alignedDim(a, rank, i);
            long db = alignedDim(b, rank, i);
            if (da != db && da != 1 && db != 1) {
                throw refuse(node, "cannot broadcast " + Arrays.toString(a) + " with " + Arrays.toString(b));
            }
            y[i] = da == 1 ? db : da;
        }
        return new Result(List.of(y), 0);
    }

    private static Result batchNormalization(OnnxNode node, List<long[]> in) throws ModelException {
        long[] x = required(node, in, 0);
        if (x.length < 2) {
            throw refuse(node, "input " + Arrays.toString(x) + " has no channel axis");
        }
        for (int i = 1; i <= 4; i++) {
            long[] p = required(node, in, i);
            if (p.length != 1 || p[0] != x[1]) {
                throw refuse(node, "input " + i + " is " + Arrays.toString(p) + ", expected [" + x[1] + "]");
            }
        }
        return new Result(List.of(x), 0);
    }

    /** MACs: each output element sums (in_c / group) * kernel products, which is the weight's shape after dim 0. */
    private static Result conv(OnnxNode node, List<long[]> in) throws ModelException {
        long[] x = required(node, in, 0);
        long[] w = required(node, in, 1);
        if (x.length < 3 || w.length != x.length) {
            throw refuse(node, "input " + Arrays.toString(x) + " and weights " + Arrays.toString(w)
                    + " are not both [N, C, spatial...]");
        }
        long group = node.intAttr("group", 1);
        if (group < 1 || w[0] % group != 0 || x[1] != w[1] * group) {
            throw refuse(node, "input " + Arrays.toString(x) + " does not fit weights " + Arrays.toString(w)
                    + " with group " + group);
        }
        long[] bias = in.size() > 2 ? in.get(2) : null;
        if (bias != null && (bias.length != 1 || bias[0] != w[0])) {
            throw refuse(node, "bias " + Arrays.toString(bias) + " does not match " + w[0] + " output channels");
        }
        long[] kernel = Arrays.copyOfRange(w, 2, w.length);
        if (!Arrays.equals(node.intsAttr("kernel_shape", kernel), kernel)) {
            throw refuse(node, "kernel_shape does not match weights " + Arrays.toString(w));
        }
        long[] y = window(node, x, kernel);
        y[1] = w[0];
        return new Result(List.of(y), product(y, 0) * product(w, 1));
    }

    private static Result pool(OnnxNode node, List<long[]> in) throws ModelException {
        long[] x = required(node, in, 0);
        long[] kernel = node.intsAttr("kernel_shape", new long[0]);
        if (x.length < 3 || kernel.length != x.length - 2) {
            throw refuse(node, "kernel_shape " + Arrays.toString(kernel) + " does not fit input " + Arrays.toString(x));
        }
        return new Result(List.of(window(node, x, kernel)), 0);
    }

    /** Its optional second output, the argmax indices, has the shape of the first. */
    private static Result maxPool(OnnxNode node, List<long[]> in) throws ModelException {
        long[] y = pool(node, in).outputs().get(0);
        return new Result(List.of(y, y), 0);
    }

    private static Result globalPool(OnnxNode node, List<long[]> in) throws ModelException {
        long[] x = required(node, in, 0);
        if (x.length < 3) {
            throw refuse(node, "input " + Arrays.toString(x) + " has no spatial axes");
        }
        long[] y = new long[x.length];
        Arrays.fill(y, 1);
        y[0] = x[0];
        y[1] = x[1];
        return new Result(List.of(y), 0);
    }

    /**
     * The shape after a sliding window over the spatial axes of {@code x}, channels unchanged: the strides, pads,
     * dilations, auto_pad and ceil_mode attributes that Conv and the pooling ops share.
     */
    private static long[] window(OnnxNode node, long[] x, long[] kernel) throws ModelException {
        int n = kernel.length;
        long[] ones = new long[n];
        Arrays.fill(ones, 1);
        long[] strides = node.intsAttr("strides", ones);
        long[] dilations = node.intsAttr("dilations", ones);
        String autoPad = node.stringAttr("auto_pad", "NOTSET");
        long[] pads = autoPad.equals("VALID") ? new long[2 * n] : node.intsAttr("pads", new long[2 * n]);
        boolean ceil = node.intAttr("ceil_mode", 0) != 0;
        if (strides.length != n || dilations.length != n || pads.length != 2 * n) {
            throw refuse(node, "strides, dilations or pads do not have " + n + " spatial axes");
        }
        if (!List.of("NOTSET", "VALID", "SAME_UPPER", "SAME_LOWER").contains(autoPad)) {
            throw refuse(node, "auto_pad " + autoPad + " is not an ONNX value");
        }
        long[] y = x.clone();
        for (int i = 0; i < n; i++) {
            long size = x[i + 2];
            long stride = strides[i];
            if (stride < 1 || dilations[i] < 1 || kernel[i] < 1 || pads[i] < 0 || pads[i + n] < 0) {
                throw refuse(node, "kernel, strides, dilations and pads must be positive");
            }
            long out;
            if (autoPad.startsWith("SAME")) {
                out = ceilDiv(size, stride);
            } else {
                long span = size + pads[i] + pads[i + n] - dilations[i] * (kernel[i] - 1) - 1;
                out = (ceil ? ceilDiv(span, stride) : Math.floorDiv(span, stride)) + 1;
                // as in ONNX Runtime and PyTorch, a ceil-mode window must start inside the input or its left padding
                if (ceil && (out - 1) * stride >= size + pads[i]) {
                    out--;
                }
            }
            if (out < 1) {
                throw refuse(node, "the window does not fit in input " + Arrays.toString(x));
            }
            y[i + 2] = out;
        }
        return y;
    }

    private static long[] required(OnnxNode node, List<long[]> in, int i) throws ModelException {
        if (i >= in.size() || in.get(i) == null) {
            throw refuse(node, "input " + i + " is missing");
        }
        return in.get(i);
    }

    /** Dimension {@code i} of {@code shape} right-aligned to {@code rank} axes, 1 where it has none. */
    private static long alignedDim(long[] shape, int rank, int i) {
        int j = i - (rank - shape.length);
        return j < 0 ? 1 : shape[j];
    }

    /** Math.ceilDiv arrived after Java 17. */
    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    private static long product(long[] shape, int from) {
        long p = 1;
        for (int i = from; i < shape.length; i++) {
            p *= shape[i];
        }
        return p;
    }

    private static ModelException refuse(OnnxNode node, String why) {
        return new ModelException(node.where() + ": " + why);
    }
}
