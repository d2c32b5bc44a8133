package io.dafedge.model.onnx;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.dafedge.model.onnx.OnnxWriter.Attribute;

/**
 * Adds nodes and constants to an {@link OnnxWriter} under a name scope, so that parts of a model built by different
 * code (two copies of one backbone, say) never collide: a part names its values locally ("339", "ssim/mu1") and
 * they land in the graph as "scope/339". An alias maps one local name onto an existing value, which is how a part's
 * own input name is bound to whatever feeds it.
 *
 * <p>The methods return the graph-wide names of what they add; inputs are always given by graph-wide name.
 */
public final class OnnxGraphBuilder {
    private final OnnxWriter writer;
    private final String prefix;
    private final Map<String, String> aliases;

    public OnnxGraphBuilder(OnnxWriter writer) {
        this(writer, "", Map.of());
    }

    private OnnxGraphBuilder(OnnxWriter writer, String prefix, Map<String, String> aliases) {
        this.writer = writer;
        this.prefix = prefix;
        this.aliases = aliases;
    }

    /** A builder for the part {@code name} of this scope. */
    public OnnxGraphBuilder scope(String name) {
        return new OnnxGraphBuilder(writer, prefix + name + "/", Map.of());
    }

    /** This scope with the local name {@code local} standing for the existing value {@code global}. */
    public OnnxGraphBuilder withAlias(String local, String global) {
        Map<String, String> more = new HashMap<>(aliases);
        more.put(local, global);
        return new OnnxGraphBuilder(writer, prefix, Map.copyOf(more));
    }

    public OnnxWriter writer() {
        return writer;
    }

    /** The graph-wide name of a local name. */
    public String name(String local) {
        return aliases.getOrDefault(local, prefix + local);
    }

    /** One node with one output; returns the output's graph-wide name. */
    public String op(String opType, String out, List<String> in, Attribute... attributes) {
        return op(opType, List.of(out), in, attributes).get(0);
    }

    /** One node with several outputs, in the order the operator defines them. */
    public List<String> op(String opType, List<String> out, List<String> in, Attribute... attributes) {
        List<String> names = out.stream().map(this::name).toList();
        writer.node(opType, in, names, attributes);
        return names;
    }

    /** A float constant of this scope. */
    public String floats(String local, long[] dims, float... values) {
        return writer.initializer(name(local), dims, values);
    }

    /** A 1-D int64 constant of this scope (shapes, axes, pads, repeats). */
    public String longs(String local, long... values) {
        return writer.initializer(name(local), new long[] {values.length}, values);
    }

    /** A float scalar shared by the whole graph, made on first use. */
    public String scalar(float value) {
        String name = "const/" + value;
        return writer.defines(name) ? name : writer.initializer(name, new long[0], new float[] {value});
    }
}
