package io.dafedge.model.onnx;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.dafedge.model.ModelException;

/**
 * One operator of the graph. An empty input name means an omitted optional input, as in ONNX. The getters with a
 * default stand for ONNX's optional attributes.
 */
public final class OnnxNode {
    private final String source;
    private final int index;
    private final String name;
    private final String opType;
    private final String domain;
    private final List<String> inputs;
    private final List<String> outputs;
    private final Map<String, OnnxAttribute> attributes;

    OnnxNode(String source, int index, String name, String opType, String domain, List<String> inputs,
             List<String> outputs, List<OnnxAttribute> attributes) {
        this.source = source;
        this.index = index;
        this.name = name;
        this.opType = opType;
        this.domain = domain;
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        Map<String, OnnxAttribute> byName = new LinkedHashMap<>();
        attributes.forEach(a -> byName.put(a.name(), a));
        this.attributes = Collections.unmodifiableMap(byName);
    }

    /** A node's description for messages: its name (or position, many nodes have none) and op type. */
    static String describe(int index, String name, String opType) {
        return (name.isEmpty() ? "node #" + index : "node '" + name + "'") + " (" + opType + ")";
    }

    /** Position in the file's node list; names are optional in ONNX, so this is what identifies a node. */
    public int index() {
        return index;
    }

    public String name() {
        return name;
    }

    public String opType() {
        return opType;
    }

    /** The operator set domain; empty for the default ONNX domain. */
    public String domain() {
        return domain;
    }

    public List<String> inputs() {
        return inputs;
    }

    public List<String> outputs() {
        return outputs;
    }

    public Map<String, OnnxAttribute> attributes() {
        return attributes;
    }

    public Optional<OnnxAttribute> attribute(String attributeName) {
        return Optional.ofNullable(attributes.get(attributeName));
    }

    public long intAttr(String attributeName, long absent) throws ModelException {
        OnnxAttribute a = attributes.get(attributeName);
        return a == null ? absent : a.asInt();
    }

    public float floatAttr(String attributeName, float absent) throws ModelException {
        OnnxAttribute a = attributes.get(attributeName);
        return a == null ? absent : a.asFloat();
    }

    public String stringAttr(String attributeName, String absent) throws ModelException {
        OnnxAttribute a = attributes.get(attributeName);
        return a == null ? absent : a.asString();
    }

    public long[] intsAttr(String attributeName, long[] absent) throws ModelException {
        OnnxAttribute a = attributes.get(attributeName);
        return a == null ? absent.clone() : a.asInts();
    }

    /** The node and its file, for messages. */
    String where() {
        return source + ": " + this;
    }

    @Override
    public String toString() {
        return describe(index, name, opType);
    }
}
