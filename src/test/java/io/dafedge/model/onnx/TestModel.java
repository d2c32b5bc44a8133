package io.dafedge.model.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import io.dafedge.model.ModelException;

/** Small ONNX models written field by field as an exporter would, for tests that need graphs of a known shape. */
final class TestModel {
    static final String SOURCE = "test.onnx";

    private final Pb graph = new Pb().string(2, "test-graph");
    private int nodes;

    /** A FLOAT graph input; each dim is a number or a symbolic name. */
    TestModel input(String name, Object... dims) {
        graph.message(11, valueInfo(name, dims));
        return this;
    }

    TestModel output(String name, Object... dims) {
        graph.message(12, valueInfo(name, dims));
        return this;
    }

    /** A node named n0, n1, ... in order; inputs and outputs are comma-separated, empty names allowed. */
    TestModel node(String opType, String inputs, String outputs, Pb... attributes) {
        Pb n = new Pb();
        for (String in : inputs.split(",", -1)) {
            n.string(1, in);
        }
        for (String out : outputs.split(",", -1)) {
            n.string(2, out);
        }
        n.string(3, "n" + nodes++).string(4, opType);
        for (Pb a : attributes) {
            n.message(5, a);
        }
        graph.message(1, n);
        return this;
    }

    /** A FLOAT initializer of zeros. */
    TestModel weights(String name, long... dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        graph.message(5, floatTensor(name, dims, new float[(int) n]));
        return this;
    }

    byte[] bytes() {
        return new Pb().varint(1, 8).message(8, new Pb().string(1, "").varint(2, 17)).message(7, graph).toBytes();
    }

    OnnxGraph read() throws ModelException {
        return OnnxModel.read(bytes(), SOURCE).graph();
    }

    static Pb valueInfo(String name, Object... dims) {
        Pb shape = new Pb();
        for (Object d : dims) {
            shape.message(1, d instanceof String s ? new Pb().string(2, s)
                    : new Pb().varint(1, ((Number) d).longValue()));
        }
        Pb tensorType = new Pb().varint(1, DataType.FLOAT).message(2, shape);
        return new Pb().string(1, name).message(2, new Pb().message(1, tensorType));
    }

    /** An INTS attribute, unpacked as proto2 writers emit it. */
    static Pb ints(String name, long... values) {
        Pb a = new Pb().string(1, name).varint(20, OnnxAttribute.Type.INTS.ordinal());
        for (long v : values) {
            a.varint(8, v);
        }
        return a;
    }

    static Pb intAttr(String name, long value) {
        return new Pb().string(1, name).varint(20, OnnxAttribute.Type.INT.ordinal()).varint(3, value);
    }

    static Pb stringAttr(String name, String value) {
        return new Pb().string(1, name).varint(20, OnnxAttribute.Type.STRING.ordinal()).string(4, value);
    }

    /** A FLOAT tensor with its values in raw_data. */
    static Pb floatTensor(String name, long[] dims, float... values) {
        ByteBuffer raw = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        Pb t = new Pb();
        for (long d : dims) {
            t.varint(1, d);
        }
        return t.varint(2, DataType.FLOAT).string(8, name).bytes(9, raw.array());
    }
}
