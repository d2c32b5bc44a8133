package io.dafedge.model.onnx;

import java.util.List;

import io.dafedge.model.ModelException;

/** A named attribute of a node; the typed getters refuse an attribute of another type. */
public final class OnnxAttribute {
    /** AttributeProto.AttributeType; the ordinals are the file's codes. */
    public enum Type {
        UNDEFINED, FLOAT, INT, STRING, TENSOR, GRAPH, FLOATS, INTS, STRINGS, TENSORS, GRAPHS, SPARSE_TENSOR,
        SPARSE_TENSORS, TYPE_PROTO, TYPE_PROTOS;

        static Type of(int code) {
            return code >= 0 && code < values().length ? values()[code] : UNDEFINED;
        }
    }

    /** The values an attribute may hold; only the one its type names is meaningful. */
    record Values(float f, long i, String s, OnnxTensor t, float[] floats, long[] ints, List<String> strings) {
    }

    private final String owner;
    private final String name;
    private final Type type;
    private final Values values;

    /** {@code owner} describes the node and file, for messages. */
    OnnxAttribute(String owner, String name, Type type, Values values) {
        this.owner = owner;
        this.name = name;
        this.type = type;
        this.values = values;
    }

    public String name() {
        return name;
    }

    public Type type() {
        return type;
    }

    public long asInt() throws ModelException {
        expect(Type.INT);
        return values.i();
    }

    public float asFloat() throws ModelException {
        expect(Type.FLOAT);
        return values.f();
    }

    public String asString() throws ModelException {
        expect(Type.STRING);
        return values.s();
    }

    public long[] asInts() throws ModelException {
        expect(Type.INTS);
        return values.ints().clone();
    }

    public float[] asFloats() throws ModelException {
        expect(Type.FLOATS);
        return values.floats().clone();
    }

    public List<String> asStrings() throws ModelException {
        expect(Type.STRINGS);
        return values.strings();
    }

    public OnnxTensor asTensor() throws ModelException {
        expect(Type.TENSOR);
        return values.t();
    }

    private void expect(Type wanted) throws ModelException {
        if (type != wanted) {
            throw new ModelException(owner + ": attribute '" + name + "' is " + type + ", not " + wanted);
        }
    }
}
