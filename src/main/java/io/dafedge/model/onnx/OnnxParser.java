package io.dafedge.model.onnx;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.dafedge.model.ModelException;
import io.dafedge.model.onnx.OnnxAttribute.Type;
import io.dafedge.model.onnx.OnnxValueInfo.Dim;

/**
 * Decodes the messages of onnx.proto that a converter needs, field numbers as in that file. Every message loops over
 * its fields and skips the ones it does not know, so newer files with extra fields still read.
 */
final class OnnxParser {
    private final String source;

    private OnnxParser(String source) {
        this.source = source;
    }

    static OnnxModel parse(byte[] bytes, String source) throws ModelException {
        try {
            return new OnnxParser(source).model(new WireReader(bytes));
        } catch (WireFormatException e) {
            throw new ModelException(source + " is not a readable ONNX model: " + e.getMessage(), e);
        }
    }

    private OnnxModel model(WireReader r) throws ModelException {
        long irVersion = 0;
        String producer = "";
        Map<String, Long> opsets = new LinkedHashMap<>();
        OnnxGraph graph = null;
        while (r.hasMore()) {
            int key = r.key();
            switch (WireReader.field(key)) {
                case 1 -> irVersion = r.int64(key, "ModelProto.ir_version");
                case 2 -> producer = r.string(key, "ModelProto.producer_name");
                case 7 -> graph = graph(r.message(key, "ModelProto.graph"));
                case 8 -> opset(r.message(key, "ModelProto.opset_import"), opsets);
                default -> r.skip(key);
            }
        }
        if (graph == null) {
            throw new ModelException(source + " holds no graph, so it is not an ONNX model");
        }
        return new OnnxModel(source, irVersion, producer, opsets, graph);
    }

    private void opset(WireReader r, Map<String, Long> opsets) {
        String domain = "";
        long version = 0;
        while (r.hasMore()) {
            int key = r.key();
            switch (WireReader.field(key)) {
                case 1 -> domain = r.string(key, "OperatorSetIdProto.domain");
                case 2 -> version = r.int64(key, "OperatorSetIdProto.version");
                default -> r.skip(key);
            }
        }
        opsets.put(domain, version);
    }

    private OnnxGraph graph(WireReader r) throws ModelException {
        String name = "";
        List<OnnxNode> nodes = new ArrayList<>();
        List<OnnxTensor> initializers = new ArrayList<>();
        List<OnnxValueInfo> inputs = new ArrayList<>();
        List<OnnxValueInfo> outputs = new ArrayList<>();
        while (r.hasMore()) {
            int key = r.key();
            switch (WireReader.field(key)) {
                case 1 -> nodes.add(node(r.message(key, "GraphProto.node"), nodes.size()));
                case 2 -> name = r.string(key, "GraphProto.name");
                case 5 -> initializers.add(tensor(r.message(key, "GraphProto.initializer")));
                case 11 -> inputs.add(valueInfo(r.message(key, "GraphProto.input")));
                case 12 -> outputs.add(valueInfo(r.message(key, "GraphProto.output")));
                default -> r.skip(key);
            }
        }
        return new OnnxGraph(source, name, inputs, outputs, nodes, initializers);
    }

    private OnnxNode node(WireReader r, int index) {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        List<WireReader> attributes = new ArrayList<>();
        String name = "";
        String opType = "";
        String domain = "";
        while (r.hasMore()) {
            int key = r.key();
            switch (WireReader.field(key)) {
                case 1 -> inputs.add(r.string(key, "NodeProto.input"));
                case 2 -> outputs.add(r.string(key, "NodeProto.output"));
                case 3 -> name = r.string(key, "NodeProto.name");
                case 4 -> opType = r.string(key, "NodeProto.op_type");
                case 5 -> attributes.add(r.message(key, "NodeProto.attribute"));
                case 7 -> domain = r.string(key, "NodeProto.domain");
                default -> r.skip(key);
            }
        }
        // decoded only now that the node's name is known, so the attributes' messages can name their node
        String owner = source + ": " + OnnxNode.describe(index, name, opType);
        List<OnnxAttribute> decoded = new ArrayList<>();
        for (WireReader a : attributes) {
            decoded.add(attribute(a, owner));
        }
        return new OnnxNode(source, index, name, opType, domain, inputs, outputs, decoded);
    }

    private OnnxAttribute attribute(WireReader r, String owner) {
        String name = "";
        int declared = 0;
        Type present = Type.UNDEFINED;
        float f = 0;
        long i = 0;
        String s = "";
        OnnxTensor t = null;
        ScalarList floats = new ScalarList();
        ScalarList ints = new ScalarList();
        List<String> strings = new ArrayList<>();
        while (r.hasMore()) {
            int key = r.key();
            switch (WireReader.field(key)) {
                case 1 -> name = r.string(key, "AttributeProto.name");
                case 2 -> {
                    f = r.float32(key, "AttributeProto.f");
                    present = Type.FLOAT;
                }
                case 3 -> {
                    i = r.int64(key, "AttributeProto.i");
                    present = Type.INT;
                }
                case 4 -> {
                    s = r.string(key, "AttributeProto.s");
                    present = Type.STRING;
                }
                case 5 -> {
                    t = tensor(r.message(key, "AttributeProto.t"));
                    present = Type.TENSOR;
                }
                case 7 -> {
                    r.repeated(key, "AttributeProto.floats", WireReader.FIXED32, floats);
                    present = Type.FLOATS;
                }
                case 8 -> {
                    r.repeated(key, "AttributeProto.ints", WireReader.VARINT, ints);
                    present = Type.INTS;
                }
                case 9 -> {
                    strings.add(r.string(key, "AttributeProto.strings"));
                    present = Type.STRINGS;
                }
                case 20 -> declared = r.int32(key, "AttributeProto.type");
                default -> r.skip(key);
            }
        }
        // files of IR version 1 have no type field; there the field in use tells the type
        Type type = declared != 0 ? Type.of(declared) : present;
        return new OnnxAttribute(owner, name, type,
                new OnnxAttribute.Values(f, i, s, t, floats.toFloats(), ints.toLongs(), List.copyOf(strings)));
    }

    private OnnxTensor tensor(WireReader r) {
        ScalarList dims = new ScalarList();
        ScalarList floats = new ScalarList();
        ScalarList int32s = new ScalarList();
        ScalarList int64s = new ScalarList();
        ScalarList doubles = new ScalarList();
        int dataType = 0;
        String name = "";
        byte[] raw = null;
        boolean external = false;
        while (r.hasMore()) {
            int key = r.key();
            switch (WireReader.field(key)) {
                case 1 -> r.repeated(key, "TensorProto.dims", WireReader.VARINT, dims);
                case 2 -> dataType = r.int32(key, "TensorProto.data_type");
                case 4 -> r.repeated(key, "TensorProto.float_data", WireReader.FIXED32, floats);
                case 5 -> r.repeated(key, "TensorProto.int32_data", WireReader.VARINT, int32s);
                case 7 -> r.repeated(key, "TensorProto.int64_data", WireReader.VARINT, int64s);
                case 8 -> name = r.string(key, "TensorProto.name");
                case 9 -> raw = r.bytes(key, "TensorProto.raw_data");
                case 10 -> r.repeated(key, "TensorProto.double_data", WireReader.FIXED64, doubles);
                case 14 -> external = r.int32(key, "TensorProto.data_location") == 1;
                default -> r.skip(key);
            }
        }
        // onnx.proto gives each data type one typed field; INT32 and the narrower types share int32_data
        ScalarList typed = switch (dataType) {
            case DataType.FLOAT -> floats;
            case DataType.INT64 -> int64s;
            case DataType.DOUBLE -> doubles;
            default -> int32s;
        };
        return new OnnxTensor(source, name, dims.toLongs(), dataType, raw, typed, external);
    }

    private OnnxValueInfo valueInfo(WireReader r) {
        String name = "";
        OnnxValueInfo type = OnnxValueInfo.untyped("");
        while (r.hasMore()) {
            int key = r.key();
            switch (WireReader.field(key)) {
                case 1 -> name = r.string(key, "ValueInfoProto.name");
                case 2 -> type = type(r.message(key, "ValueInfoProto.type"));
                default -> r.skip(key);
            }
        }
        return new OnnxValueInfo(name, type.elemType(), type.shape());
    }

    /** TypeProto, as an unnamed value info; only tensor types have an element type and shape. */
    private OnnxValueInfo type(WireReader r) {
        OnnxValueInfo type = OnnxValueInfo.untyped("");
        while (r.hasMore()) {
            int key = r.key();
            if (WireReader.field(key) == 1) {
                type = tensorType(r.message(key, "TypeProto.tensor_type"));
            } else {
                r.skip(key);
            }
        }
        return type;
    }

    private OnnxValueInfo tensorType(WireReader r) {
        int elemType = 0;
        Optional<List<Dim>> shape = Optional.empty();
        while (r.hasMore()) {
            int key = r.key();
            switch (WireReader.field(key)) {
                case 1 -> elemType = r.int32(key, "TypeProto.Tensor.elem_type");
                case 2 -> shape = Optional.of(shape(r.message(key, "TypeProto.Tensor.shape")));
                default -> r.skip(key);
            }
        }
        return new OnnxValueInfo("", elemType, shape);
    }

    private List<Dim> shape(WireReader r) {
        List<Dim> dims = new ArrayList<>();
        while (r.hasMore()) {
            int key = r.key();
            if (WireReader.field(key) == 1) {
                dims.add(dim(r.message(key, "TensorShapeProto.dim")));
            } else {
                r.skip(key);
            }
        }
        return dims;
    }

    private Dim dim(WireReader r) {
        Dim dim = Dim.UNKNOWN;
        while (r.hasMore()) {
            int key = r.key();
            switch (WireReader.field(key)) {
                case 1 -> dim = Dim.of(r.int64(key, "TensorShapeProto.Dimension.dim_value"));
                case 2 -> dim = Dim.symbolic(r.string(key, "TensorShapeProto.Dimension.dim_param"));
                default -> r.skip(key);
            }
        }
        return dim;
    }
}
