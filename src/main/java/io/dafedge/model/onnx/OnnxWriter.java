package io.dafedge.model.onnx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.dafedge.model.onnx.OnnxAttribute.Type;
import io.dafedge.model.onnx.OnnxValueInfo.Dim;

/**
 * Builds one ONNX model (ModelProto) and encodes it: the subset of onnx.proto an exporter of a feed-forward graph
 * needs. Float graph inputs and outputs with shapes, nodes of the default domain with int, ints, float, floats and
 * string attributes, and float or int64 initializers stored as little-endian raw_data. Field numbers as in
 * onnx.proto, the same the {@link OnnxParser} reads.
 *
 * <p>Nodes must be added in topological order: each input must already be a graph input, an initializer or an
 * earlier node's output, and every value is assigned once. Breaking either is a bug of the caller and throws
 * {@link IllegalArgumentException} at once, where ONNX Runtime would only refuse the finished file.
 */
public final class OnnxWriter {
    /** IR version 8 is the one that goes with operator set 17 (ONNX 1.12). */
    public static final long IR_VERSION = 8;

    private final long opset;
    private final String graphName;
    private String producerName = "";
    private String producerVersion = "";
    private String docString = "";
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final List<WireWriter> nodes = new ArrayList<>();
    private final List<WireWriter> initializers = new ArrayList<>();
    private final List<WireWriter> inputs = new ArrayList<>();
    private final List<String> outputNames = new ArrayList<>();
    private final List<WireWriter> outputs = new ArrayList<>();
    private final Set<String> defined = new HashSet<>();

    /** A model importing version {@code opset} of the default ONNX operator set. */
    public OnnxWriter(String graphName, long opset) {
        this.graphName = graphName;
        this.opset = opset;
    }

    public long opset() {
        return opset;
    }

    public OnnxWriter producer(String name, String version) {
        producerName = name;
        producerVersion = version;
        return this;
    }

    /** ModelProto.doc_string, what ONNX Runtime reports as the model's description. */
    public OnnxWriter docString(String text) {
        docString = text;
        return this;
    }

    /** One entry of ModelProto.metadata_props, ONNX Runtime's custom metadata. */
    public OnnxWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /** A float graph input. */
    public String input(String name, List<Dim> shape) {
        define(name);
        inputs.add(valueInfo(name, shape));
        return name;
    }

    /** Declares an already computed value a float graph output. */
    public void output(String name, List<Dim> shape) {
        requireDefined(name, "output");
        outputNames.add(name);
        outputs.add(valueInfo(name, shape));
    }

    /** Whether a value of this name exists (input, initializer or node output). */
    public boolean defines(String name) {
        return defined.contains(name);
    }

    /** A float initializer; {@code dims} empty for a scalar. */
    public String initializer(String name, long[] dims, float[] values) {
        requireCount(name, dims, values.length);
        ByteBuffer raw = WireWriter.littleEndian(4 * values.length);
        raw.asFloatBuffer().put(values);
        return initializer(name, dims, DataType.FLOAT, raw.array());
    }

    /** An int64 initializer (shapes, axes, pads, indices). */
    public String initializer(String name, long[] dims, long[] values) {
        requireCount(name, dims, values.length);
        ByteBuffer raw = WireWriter.littleEndian(8 * values.length);
        raw.asLongBuffer().put(values);
        return initializer(name, dims, DataType.INT64, raw.array());
    }

    private String initializer(String name, long[] dims, int dataType, byte[] raw) {
        define(name);
        initializers.add(new WireWriter().packedVarints(1, dims).varint(2, dataType).string(8, name).bytes(9, raw));
        return name;
    }

    /**
     * A node of the default domain, named after its first output. An empty input name stands for an omitted
     * optional input, as in ONNX.
     */
    public void node(String opType, List<String> in, List<String> out, Attribute... attributes) {
        for (String name : in) {
            if (!name.isEmpty()) {
                requireDefined(name, opType + " input");
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(opType + " node without outputs");
        }
        out.forEach(this::define);
        WireWriter node = new WireWriter();
        in.forEach(name -> node.string(1, name));
        out.forEach(name -> node.string(2, name));
        node.string(3, out.get(0)).string(4, opType);
        for (Attribute a : attributes) {
            node.message(5, a.encode());
        }
        nodes.add(node);
    }

    /** The model in protobuf wire format. */
    public byte[] toBytes() {
        if (outputs.isEmpty()) {
            throw new IllegalStateException("graph '" + graphName + "' has no outputs");
        }
        WireWriter graph = new WireWriter();
        nodes.forEach(n -> graph.message(1, n));
        graph.string(2, graphName);
        initializers.forEach(t -> graph.message(5, t));
        inputs.forEach(i -> graph.message(11, i));
        outputs.forEach(o -> graph.message(12, o));
        WireWriter model = new WireWriter().varint(1, IR_VERSION).string(2, producerName).string(3, producerVersion);
        if (!docString.isEmpty()) {
            model.string(6, docString);
        }
        model.message(7, graph).message(8, new WireWriter().string(1, "").varint(2, opset));
        metadata.forEach((k, v) -> model.message(14, new WireWriter().string(1, k).string(2, v)));
        return model.toBytes();
    }

    /**
     * Writes the model to {@code file} all at once: into a hidden temporary file beside it, renamed into place when
     * complete, so a reader never sees half a model and a failure leaves nothing behind. Creates missing parent
     * folders; replaces an existing file. The file gets the permissions of any new file (not those of
     * {@link Files#createTempFile}, readable by its owner only).
     */
    public void write(Path file) throws IOException {
        byte[] bytes = toBytes();
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = parent.resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".partial");
        try {
            Files.write(tmp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private void define(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("values need a name");
        }
        if (!defined.add(name)) {
            throw new IllegalArgumentException("value '" + name + "' is defined twice");
        }
    }

    private void requireDefined(String name, String role) {
        if (!defined.contains(name)) {
            throw new IllegalArgumentException(role + " '" + name + "' is not defined yet");
        }
    }

    private static void requireCount(String name, long[] dims, int count) {
        long n = Arrays.stream(dims).reduce(1, (a, b) -> a * b);
        if (n != count) {
            throw new IllegalArgumentException("initializer '" + name + "' has " + count + " values; dims "
                    + Arrays.toString(dims) + " need " + n);
        }
    }

    private static WireWriter valueInfo(String name, List<Dim> shape) {
        WireWriter dims = new WireWriter();
        for (Dim d : shape) {
            dims.message(1, d.isKnown() ? new WireWriter().varint(1, d.value()) : new WireWriter().string(2, d.param()));
        }
        WireWriter tensorType = new WireWriter().varint(1, DataType.FLOAT).message(2, dims);
        return new WireWriter().string(1, name).message(2, new WireWriter().message(1, tensorType));
    }

    /** A node attribute of one of the types {@link OnnxWriter} writes; only the field of its type is used. */
    public record Attribute(String name, Type type, long i, float f, String s, long[] ints, float[] floats) {
        public static Attribute of(String name, long value) {
            return new Attribute(name, Type.INT, value, 0, "", null, null);
        }

        public static Attribute of(String name, float value) {
            return new Attribute(name, Type.FLOAT, 0, value, "", null, null);
        }

        public static Attribute of(String name, String value) {
            return new Attribute(name, Type.STRING, 0, 0, value, null, null);
        }

        public static Attribute ints(String name, long... values) {
            return new Attribute(name, Type.INTS, 0, 0, "", values.clone(), null);
        }

        public static Attribute floats(String name, float... values) {
            return new Attribute(name, Type.FLOATS, 0, 0, "", null, values.clone());
        }

        WireWriter encode() {
            WireWriter a = new WireWriter().string(1, name);
            switch (type) {
                case INT -> a.varint(3, i);
                case FLOAT -> a.float32(2, f);
                case STRING -> a.string(4, s);
                case INTS -> a.packedVarints(8, ints);
                case FLOATS -> a.packedFloats(7, floats);
                default -> throw new IllegalStateException("attribute type " + type + " is not written");
            }
            return a.varint(20, type.ordinal());
        }
    }
}
