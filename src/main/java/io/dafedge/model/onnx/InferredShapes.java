package io.dafedge.model.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

import io.dafedge.model.ModelException;
import io.dafedge.model.onnx.OnnxValueInfo.Dim;

/**
 * Concrete shapes of every value of a graph for given input shapes, and the multiply-accumulate count of each node
 * (convolutions; other supported ops count 0). Covers the ops of CNN backbones listed in {@link #SUPPORTED_OPS};
 * a graph with any other op is refused, so prune classifier heads first ({@link OnnxGraph#prunedTo}).
 */
public final class InferredShapes {
    /** The default-domain ops this inference knows. */
    public static final SortedSet<String> SUPPORTED_OPS = Collections.unmodifiableSortedSet(
            new TreeSet<>(OpShapes.RULES.keySet()));

    private final Map<String, long[]> shapes;
    private final Map<OnnxNode, Long> macs;

    private InferredShapes(Map<String, long[]> shapes, Map<OnnxNode, Long> macs) {
        this.shapes = shapes;
        this.macs = macs;
    }

    /** {@code inputShapes} gives a shape for every data input of the graph ({@link OnnxGraph#dataInputs}). */
    public static InferredShapes of(OnnxGraph graph, Map<String, long[]> inputShapes) throws ModelException {
        Map<String, long[]> shapes = new HashMap<>();
        graph.initializers().values().forEach(t -> shapes.put(t.name(), t.dims()));
        List<OnnxValueInfo> dataInputs = graph.dataInputs();
        for (String name : inputShapes.keySet()) {
            if (dataInputs.stream().noneMatch(i -> i.name().equals(name))) {
                throw new ModelException(graph.source() + ": '" + name + "' is not a data input of the graph");
            }
        }
        for (OnnxValueInfo input : dataInputs) {
            long[] given = inputShapes.get(input.name());
            if (given == null) {
                throw new ModelException(graph.source() + ": no shape given for input '" + input.name() + "'");
            }
            checkDeclared(graph, input, given);
            shapes.put(input.name(), given.clone());
        }
        Map<OnnxNode, Long> macs = new HashMap<>();
        for (OnnxNode node : graph.topologicalOrder()) {
            OpShapes.Rule rule = node.domain().isEmpty() || node.domain().equals("ai.onnx")
                    ? OpShapes.RULES.get(node.opType()) : null;
            if (rule == null) {
                throw new ModelException(node.where() + ": shape inference does not support op "
                        + (node.domain().isEmpty() ? "" : node.domain() + ":") + node.opType()
                        + "; it supports " + SUPPORTED_OPS);
            }
            List<long[]> in = new ArrayList<>();
            for (String name : node.inputs()) {
                long[] shape = shapes.get(name);
                if (shape == null && !name.isEmpty()) {
                    throw new ModelException(node.where() + ": its input '" + name
                            + "' is produced by no node and is neither a graph input nor an initializer");
                }
                in.add(shape);
            }
            OpShapes.Result result = rule.apply(node, in);
            if (node.outputs().size() > result.outputs().size()) {
                throw new ModelException(node.where() + ": shape inference knows only its first "
                        + result.outputs().size() + " output(s), it has " + node.outputs().size());
            }
            for (int k = 0; k < node.outputs().size(); k++) {
                if (!node.outputs().get(k).isEmpty()) {
                    shapes.put(node.outputs().get(k), result.outputs().get(k));
                }
            }
            macs.put(node, result.macs());
        }
        return new InferredShapes(shapes, macs);
    }

    /** The shape of a value of the graph. */
    public long[] shape(String value) {
        long[] s = shapes.get(value);
        if (s == null) {
            throw new IllegalArgumentException("no value '" + value + "' in the graph");
        }
        return s.clone();
    }

    /** The multiply-accumulates of one node of the graph. */
    public long macs(OnnxNode node) {
        Long m = macs.get(node);
        if (m == null) {
            throw new IllegalArgumentException(node + " is not a node of the graph");
        }
        return m;
    }

    public long totalMacs() {
        return macs.values().stream().mapToLong(Long::longValue).sum();
    }

    /** A given shape must agree with the declared one: same rank, and equal wherever the file fixes a number. */
    private static void checkDeclared(OnnxGraph graph, OnnxValueInfo input, long[] given) throws ModelException {
        boolean fits = Arrays.stream(given).allMatch(d -> d >= 0);
        if (input.shape().isPresent()) {
            List<Dim> declared = input.shape().get();
            fits &= declared.size() == given.length;
            for (int i = 0; fits && i < given.length; i++) {
                fits = !declared.get(i).isKnown() || declared.get(i).value() == given[i];
            }
        }
        if (!fits) {
            throw new ModelException(graph.source() + ": input '" + input.name() + "' is declared "
                    + input.shape().map(List::toString).orElse("of unknown rank") + ", it cannot take "
                    + Arrays.toString(given));
        }
    }
}
