package io.dafedge.model.djl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.dafedge.model.ModelException;
import io.dafedge.model.djl.Initialisation.Role;
import io.dafedge.model.onnx.OnnxGraph;
import io.dafedge.model.onnx.OnnxNode;
import io.dafedge.model.onnx.OnnxTensor;

/**
 * Turns the nodes of a (pruned) ONNX graph into {@link Layer}s, creating their parameters on a manager with the
 * values an {@link Initialisation} chooses. A node this cannot reproduce exactly is refused, naming the node.
 */
final class LayerTranslator {
    static final SortedSet<String> SUPPORTED_OPS = Collections.unmodifiableSortedSet(new TreeSet<>(
            List.of("Add", "BatchNormalization", "Clip", "Conv", "Identity", "MaxPool", "Relu")));

    private final OnnxGraph graph;
    private final Initialisation init;
    private final NDManager manager;
    /** Parameters by initializer name, so a weight shared by several nodes stays one parameter. */
    private final Map<String, Parameter> byInitializer = new HashMap<>();

    LayerTranslator(OnnxGraph graph, Initialisation init, NDManager manager) {
        this.graph = graph;
        this.init = init;
        this.manager = manager;
    }

    /** Refuses a graph with an op outside {@link #SUPPORTED_OPS}, before any weight is read. */
    static void checkOps(OnnxGraph graph) throws ModelException {
        for (OnnxNode node : graph.topologicalOrder()) {
            boolean defaultDomain = node.domain().isEmpty() || node.domain().equals("ai.onnx");
            if (!defaultDomain || !SUPPORTED_OPS.contains(node.opType())) {
                throw new ModelException(node + ": op " + (defaultDomain ? "" : node.domain() + ":")
                        + node.opType() + " is not supported by the DJL network; it supports " + SUPPORTED_OPS);
            }
        }
    }

    List<Layer> translate() throws ModelException {
        checkOps(graph);
        List<Layer> layers = new ArrayList<>();
        for (OnnxNode node : graph.topologicalOrder()) {
            layers.add(translate(node));
        }
        return layers;
    }

    private Layer translate(OnnxNode node) throws ModelException {
        if (node.outputs().size() != 1) {
            throw new ModelException(node + ": has outputs " + node.outputs()
                    + "; only single-output nodes are supported");
        }
        String out = node.outputs().get(0);
        return switch (node.opType()) {
            case "Conv" -> conv(node, out);
            case "Clip" -> clip(node, out);
            case "Relu" -> UnaryLayer.relu(data(node, 0), out);
            case "Identity" -> UnaryLayer.identity(data(node, 0), out);
            case "Add" -> new AddLayer(data(node, 0), data(node, 1), out);
            case "MaxPool" -> maxPool(node, out);
            case "BatchNormalization" -> batchNorm(node, out);
            default -> throw new IllegalStateException(node + " passed checkOps but has no translation");
        };
    }

    private Layer conv(OnnxNode node, String out) throws ModelException {
        OnnxTensor w = constant(node, 1);
        long[] dims = w.dims();
        if (dims.length != 4) {
            throw new ModelException(node + ": weight of shape " + Arrays.toString(dims)
                    + " is not a 2-D convolution's [out, in/group, kh, kw]");
        }
        long[] kernel = node.intsAttr("kernel_shape", new long[] {dims[2], dims[3]});
        if (kernel.length != 2 || kernel[0] != dims[2] || kernel[1] != dims[3]) {
            throw new ModelException(node + ": kernel_shape " + Arrays.toString(kernel) + " disagrees with weight "
                    + Arrays.toString(dims));
        }
        long group = node.intAttr("group", 1);
        if (group < 1 || dims[0] % group != 0) {
            throw new ModelException(node + ": group " + group + " does not divide " + dims[0] + " output channels");
        }
        Parameter weight = parameter(w, Role.CONV_WEIGHT, Parameter.Type.WEIGHT);
        Parameter bias = null;
        if (node.inputs().size() > 2 && !node.inputs().get(2).isEmpty()) {
            OnnxTensor b = constant(node, 2);
            if (!Arrays.equals(b.dims(), new long[] {dims[0]})) {
                throw new ModelException(node + ": bias of shape " + Arrays.toString(b.dims()) + " is not ["
                        + dims[0] + "]");
            }
            bias = parameter(b, Role.BIAS, Parameter.Type.BIAS);
        }
        return new ConvLayer(data(node, 0), out, weight, bias, kernel, pair(node, "strides"), pair(node, "dilations"),
                (int) group, Padding.of(node));
    }

    private Layer maxPool(OnnxNode node, String out) throws ModelException {
        long[] kernel = node.intsAttr("kernel_shape", new long[0]);
        if (kernel.length != 2) {
            throw new ModelException(node + ": kernel_shape " + Arrays.toString(kernel) + " is not 2-D");
        }
        if (!Arrays.equals(pair(node, "dilations"), new long[] {1, 1})) {
            throw new ModelException(node + ": dilated max pooling is not supported");
        }
        return new MaxPoolLayer(data(node, 0), out, kernel, pair(node, "strides"), Padding.of(node),
                node.intAttr("ceil_mode", 0) != 0);
    }

    /** Bounds are inputs from opset 11 on and attributes before; either may be absent (unbounded). */
    private Layer clip(OnnxNode node, String out) throws ModelException {
        float lo = node.floatAttr("min", Float.NEGATIVE_INFINITY);
        float hi = node.floatAttr("max", Float.POSITIVE_INFINITY);
        if (node.inputs().size() > 1) {
            lo = bound(node, 1, lo);
        }
        if (node.inputs().size() > 2) {
            hi = bound(node, 2, hi);
        }
        float[] chosen = init.clip(lo, hi);
        boolean unbounded = chosen[0] == Float.NEGATIVE_INFINITY && chosen[1] == Float.POSITIVE_INFINITY;
        String in = data(node, 0);
        return unbounded ? UnaryLayer.identity(in, out) : UnaryLayer.clip(in, out, chosen[0], chosen[1]);
    }

    private float bound(OnnxNode node, int input, float absent) throws ModelException {
        if (node.inputs().get(input).isEmpty()) {
            return absent;
        }
        float[] v = constant(node, input).floats();
        if (v.length != 1) {
            throw new ModelException(node + ": bound '" + node.inputs().get(input) + "' has " + v.length
                    + " values, not one");
        }
        return v[0];
    }

    /** Folds the running statistics into a per-channel scale and shift, as inference-mode BN computes. */
    private Layer batchNorm(OnnxNode node, String out) throws ModelException {
        if (node.intAttr("training_mode", 0) != 0) {
            throw new ModelException(node + ": training-mode BatchNormalization is not supported");
        }
        float eps = node.floatAttr("epsilon", 1e-5f);
        float[] gamma = constant(node, 1).floats();
        float[] beta = constant(node, 2).floats();
        float[] mean = constant(node, 3).floats();
        float[] var = constant(node, 4).floats();
        int c = gamma.length;
        if (beta.length != c || mean.length != c || var.length != c) {
            throw new ModelException(node + ": scale, B, mean and var differ in length");
        }
        float[] scale = new float[c];
        float[] shift = new float[c];
        for (int i = 0; i < c; i++) {
            scale[i] = (float) (gamma[i] / Math.sqrt(var[i] + (double) eps));
            shift[i] = beta[i] - mean[i] * scale[i];
        }
        long[] shape = {c};
        return new AffineLayer(data(node, 0), out,
                parameter(out + "/scale", shape, init.values(Role.SCALE, shape, scale), Parameter.Type.GAMMA),
                parameter(out + "/shift", shape, init.values(Role.SHIFT, shape, shift), Parameter.Type.BETA));
    }

    /** A computed value the node reads; a constant there is refused, as only weights become parameters. */
    private String data(OnnxNode node, int input) throws ModelException {
        String name = name(node, input);
        if (graph.initializer(name).isPresent()) {
            throw new ModelException(node + ": input '" + name + "' is a constant initializer; only a computed value"
                    + " is supported there");
        }
        return name;
    }

    private static String name(OnnxNode node, int input) throws ModelException {
        String name = input < node.inputs().size() ? node.inputs().get(input) : "";
        if (name.isEmpty()) {
            throw new ModelException(node + ": input " + input + " is missing");
        }
        return name;
    }

    private OnnxTensor constant(OnnxNode node, int input) throws ModelException {
        String name = name(node, input);
        return graph.initializer(name).orElseThrow(() -> new ModelException(node + ": input '" + name
                + "' is computed; only a constant initializer is supported there"));
    }

    private Parameter parameter(OnnxTensor t, Role role, Parameter.Type type) throws ModelException {
        Parameter known = byInitializer.get(t.name());
        if (known == null) {
            known = parameter(t.name(), t.dims(), init.values(role, t.dims(), t.floats()), type);
            byInitializer.put(t.name(), known);
        }
        return known;
    }

    private Parameter parameter(String name, long[] shape, float[] values, Parameter.Type type) {
        Parameter p = Parameter.builder().setName(name).setType(type).build();
        p.setArray(manager.create(values, new Shape(shape)));
        p.freeze(!init.trainable());
        return p;
    }

    private static long[] pair(OnnxNode node, String attribute) throws ModelException {
        long[] v = node.intsAttr(attribute, new long[] {1, 1});
        if (v.length != 2 || v[0] < 1 || v[1] < 1) {
            throw new ModelException(node + ": " + attribute + " " + Arrays.toString(v)
                    + " are not 2 positive numbers");
        }
        return v;
    }
}
