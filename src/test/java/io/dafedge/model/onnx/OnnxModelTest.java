package io.dafedge.model.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import io.dafedge.model.ModelException;
import io.dafedge.model.onnx.OnnxAttribute.Type;
import io.dafedge.model.onnx.OnnxValueInfo.Dim;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Reading hand-built ModelProto bytes: every kept field, typed and raw tensor data, and the refusals. */
class OnnxModelTest {
    @TempDir
    Path tmp;

    @Test
    void readsModelGraphValueInfosAndNodes() throws Exception {
        byte[] bytes = model(new Pb().string(2, "tiny")
                .message(11, TestModel.valueInfo("x", "N", 3, "H", 8))
                .message(11, new Pb().string(1, "untyped"))
                .message(12, TestModel.valueInfo("y"))
                .message(1, new Pb().string(1, "x").string(1, "").string(1, "w").string(2, "y")
                        .string(4, "Conv").string(7, "com.example")));
        OnnxModel m = OnnxModel.read(bytes, "tiny.onnx");
        assertEquals("tiny.onnx", m.source());
        assertEquals(8, m.irVersion());
        assertEquals("pb-test", m.producerName());
        assertEquals(Map.of("", 17L, "com.example", 2L), m.opsetVersions());
        assertEquals(OptionalLong.of(17), m.opsetVersion("ai.onnx"));
        assertEquals(OptionalLong.empty(), m.opsetVersion("ai.onnx.ml"));
        OnnxGraph g = m.graph();
        assertEquals("tiny", g.name());
        OnnxValueInfo x = g.inputs().get(0);
        assertEquals(DataType.FLOAT, x.elemType());
        assertEquals(List.of(Dim.symbolic("N"), Dim.of(3), Dim.symbolic("H"), Dim.of(8)), x.shape().orElseThrow());
        assertEquals("[N, 3, H, 8]", x.shape().orElseThrow().toString());
        assertEquals(new OnnxValueInfo("untyped", 0, Optional.empty()), g.inputs().get(1));
        assertEquals(List.of(), g.outputs().get(0).shape().orElseThrow(), "a scalar: shape present, no dims");
        OnnxNode n = g.nodes().get(0);
        assertEquals(0, n.index());
        assertEquals("", n.name());
        assertEquals("Conv", n.opType());
        assertEquals("com.example", n.domain());
        assertEquals(List.of("x", "", "w"), n.inputs());
        assertEquals(List.of("y"), n.outputs());
        assertEquals("node #0 (Conv)", n.toString());
    }

    @Test
    void readsAttributesOfEveryKeptType() throws Exception {
        Pb tensor = TestModel.floatTensor("", new long[] {2}, 1f, 2f);
        OnnxNode n = nodeWith(
                new Pb().string(1, "f").varint(20, 1).fixed32(2, 0.5f),
                TestModel.intAttr("i", -3),
                TestModel.stringAttr("s", "SAME_UPPER"),
                new Pb().string(1, "t").varint(20, 4).message(5, tensor),
                new Pb().string(1, "fs").varint(20, 6).packedFloats(7, 1f, -1f),
                TestModel.ints("is", 1, -1, 5),
                new Pb().string(1, "ss").varint(20, 8).string(9, "a").string(9, "b"),
                // IR version 1 had no type field: the field in use tells it
                new Pb().string(1, "old").varint(3, 7),
                // a subgraph: kept as an attribute of type GRAPH, its body skipped
                new Pb().string(1, "body").varint(20, 5).message(6, new Pb().string(2, "sub")));
        assertEquals(List.of("f", "i", "s", "t", "fs", "is", "ss", "old", "body"),
                List.copyOf(n.attributes().keySet()));
        assertEquals(0.5f, n.floatAttr("f", 0));
        assertEquals(-3, n.intAttr("i", 0));
        assertEquals("SAME_UPPER", n.stringAttr("s", "NOTSET"));
        assertArrayEquals(new float[] {1, 2}, n.attribute("t").orElseThrow().asTensor().floats());
        assertArrayEquals(new float[] {1, -1}, n.attribute("fs").orElseThrow().asFloats());
        assertArrayEquals(new long[] {1, -1, 5}, n.intsAttr("is", new long[0]));
        assertEquals(List.of("a", "b"), n.attribute("ss").orElseThrow().asStrings());
        assertEquals(7, n.intAttr("old", 0));
        assertEquals(Type.GRAPH, n.attribute("body").orElseThrow().type());
        assertEquals(1, n.intAttr("absent", 1));
        assertArrayEquals(new long[] {1, 1}, n.intsAttr("absent", new long[] {1, 1}));

        ModelException e = assertThrows(ModelException.class, () -> n.intAttr("is", 0));
        assertEquals("attrs.onnx: node 'n' (Conv): attribute 'is' is INTS, not INT", e.getMessage());
        assertThrows(ModelException.class, () -> n.attribute("i").orElseThrow().asFloat());
        assertThrows(ModelException.class, () -> n.stringAttr("t", ""));
    }

    @Test
    void decodesTensorsFromRawAndTypedFields() throws Exception {
        Map<String, OnnxTensor> t = initializers(
                TestModel.floatTensor("raw_f", new long[] {2, 2}, 1f, -2f, 3.5f, 1e-7f),
                tensor("packed_f", DataType.FLOAT, 2).packedFloats(4, 0.25f, -8f),
                tensor("unpacked_f", DataType.FLOAT, 2).fixed32(4, 0.25f).fixed32(4, -8f),
                tensor("i64", DataType.INT64, 3).packedVarints(7, -1, 0, Long.MAX_VALUE),
                tensor("i64_unpacked", DataType.INT64, 2).varint(7, -5).varint(7, 6),
                tensor("raw_i64", DataType.INT64, 1).bytes(9, le(8, -1)),
                tensor("raw_i32", DataType.INT32, 2).bytes(9, le(4, -108_921, 11_872)),
                tensor("i32", DataType.INT32, 2).packedVarints(5, -7, 9),
                // 0xFFFFFFF9 as a 5-byte varint: int32 without sign extension, as some writers emit it
                tensor("i32_short", DataType.INT32, 1).packedVarints(5, 0xFFFF_FFF9L),
                tensor("raw_i8", DataType.INT8, 3).bytes(9, new byte[] {45, -15, -128}),
                tensor("raw_u8", DataType.UINT8, 2).bytes(9, new byte[] {(byte) 255, 114}),
                tensor("u8", DataType.UINT8).packedVarints(5, 114),
                tensor("raw_i16", DataType.INT16, 1).bytes(9, new byte[] {(byte) 0xFE, (byte) 0xFF}),
                tensor("raw_u16", DataType.UINT16, 1).bytes(9, new byte[] {(byte) 0xFE, (byte) 0xFF}),
                tensor("f64", DataType.DOUBLE, 2).fixed64(10, 0.5).fixed64(10, -3),
                tensor("raw_f64", DataType.DOUBLE, 1).bytes(9, le(8, Double.doubleToLongBits(0.125))),
                tensor("empty", DataType.FLOAT, 0, 3));
        assertArrayEquals(new long[] {2, 2}, t.get("raw_f").dims());
        assertEquals(DataType.FLOAT, t.get("raw_f").dataType());
        assertArrayEquals(new float[] {1f, -2f, 3.5f, 1e-7f}, t.get("raw_f").floats());
        assertArrayEquals(new float[] {0.25f, -8f}, t.get("packed_f").floats());
        assertArrayEquals(new float[] {0.25f, -8f}, t.get("unpacked_f").floats());
        assertArrayEquals(new long[] {-1, 0, Long.MAX_VALUE}, t.get("i64").longs());
        assertArrayEquals(new long[] {-5, 6}, t.get("i64_unpacked").longs());
        assertArrayEquals(new long[] {-1}, t.get("raw_i64").longs());
        assertArrayEquals(new long[] {-108_921, 11_872}, t.get("raw_i32").longs());
        assertArrayEquals(new long[] {-7, 9}, t.get("i32").longs());
        assertArrayEquals(new long[] {-7}, t.get("i32_short").longs());
        assertArrayEquals(new long[] {45, -15, -128}, t.get("raw_i8").longs());
        assertArrayEquals(new long[] {255, 114}, t.get("raw_u8").longs());
        assertArrayEquals(new long[] {114}, t.get("u8").longs(), "a scalar: no dims, one value");
        assertArrayEquals(new long[] {-2}, t.get("raw_i16").longs());
        assertArrayEquals(new long[] {65_534}, t.get("raw_u16").longs());
        assertArrayEquals(new float[] {0.5f, -3f}, t.get("f64").floats());
        assertArrayEquals(new float[] {0.125f}, t.get("raw_f64").floats());
        assertArrayEquals(new float[0], t.get("empty").floats());
    }

    @Test
    void refusesToDecodeWhatItCannotAndNamesTheTensor() throws Exception {
        Map<String, OnnxTensor> t = initializers(
                tensor("bf16", 16, 1).packedVarints(5, 1),
                tensor("future", 99, 1).bytes(9, new byte[4]),
                tensor("short", DataType.FLOAT, 2, 2).bytes(9, new byte[12]),
                tensor("few", DataType.INT64, 3).packedVarints(7, 1, 2),
                tensor("wrong_field", DataType.INT64, 1).packedVarints(5, 1),
                tensor("negative", DataType.FLOAT, -1).bytes(9, new byte[0]),
                tensor("outside", DataType.FLOAT, 4).string(13, "location").varint(14, 1));
        refused(() -> t.get("bf16").floats(), "test.onnx: tensor 'bf16' is BFLOAT16, not FLOAT or DOUBLE");
        refused(() -> t.get("bf16").longs(), "tensor 'bf16' is BFLOAT16, not an integer type");
        refused(() -> t.get("future").floats(), "tensor 'future' is data type 99, not FLOAT or DOUBLE");
        refused(() -> t.get("short").floats(), "has 12 bytes of raw_data, but dims [2, 2] of FLOAT need 16");
        refused(() -> t.get("few").longs(), "has 2 values in its typed field, but dims [3] need 3");
        refused(() -> t.get("wrong_field").longs(), "has 0 values in its typed field");
        refused(() -> t.get("negative").floats(), "dims [-1], which do not give an array size");
        refused(() -> t.get("outside").floats(), "keeps its data in an external file");
        refused(() -> t.get("few").floats(), "is INT64, not FLOAT or DOUBLE");
        assertArrayEquals(new long[] {4}, t.get("outside").dims(), "reading works, only decoding is refused");
    }

    @Test
    void skipsUnknownFieldsAtEveryLevel() throws Exception {
        Pb unknown = new Pb().varint(900, 1).fixed64(901, 1).string(902, "?").fixed32(903, 1)
                .key(904, WireReader.START_GROUP).varint(1, 1).key(904, WireReader.END_GROUP);
        Pb tensor = TestModel.floatTensor("w", new long[] {1}, 2f).append(unknown);
        Pb attribute = TestModel.intAttr("group", 4).append(unknown);
        Pb node = new Pb().string(1, "x").string(1, "w").string(2, "y").append(unknown)
                .string(4, "Conv").message(5, attribute);
        Pb graph = new Pb().message(1, node).append(unknown).message(5, tensor)
                .message(11, TestModel.valueInfo("x", 1).append(unknown))
                .string(10, "doc").message(13, TestModel.valueInfo("y"));
        byte[] bytes = new Pb().append(unknown).varint(1, 9).string(3, "1.0").message(7, graph)
                .message(8, new Pb().varint(2, 21).append(unknown)).message(14, new Pb().string(1, "k"))
                .toBytes();
        OnnxModel m = OnnxModel.read(bytes, "unknown.onnx");
        assertEquals(9, m.irVersion());
        assertEquals(Map.of("", 21L), m.opsetVersions());
        OnnxGraph g = m.graph();
        assertEquals(4, g.nodes().get(0).intAttr("group", 1));
        assertArrayEquals(new float[] {2f}, g.initializer("w").orElseThrow().floats());
        assertEquals(List.of(Dim.of(1)), g.inputs().get(0).shape().orElseThrow());
    }

    @Test
    void refusesMalformedFilesNamingTheFileAndTheFault() throws Exception {
        byte[] good = new TestModel().input("x", 1, 3).node("Relu", "x", "y").output("y").bytes();
        Path file = tmp.resolve("cut.onnx");
        Files.write(file, Arrays.copyOf(good, good.length - 3));
        ModelException e = assertThrows(ModelException.class, () -> OnnxModel.read(file));
        assertTrue(e.getMessage().startsWith(file + " is not a readable ONNX model: "), e.getMessage());
        assertTrue(e.getMessage().contains("runs past the end"), e.getMessage());

        refused(() -> OnnxModel.read(new Pb().string(1, "7").toBytes(), "a.onnx"),
                "a.onnx is not a readable ONNX model: ModelProto.ir_version (field 1) has wire type length-delimited, "
                        + "expected varint at byte 1");
        refused(() -> OnnxModel.read(new Pb().varint(1, 7).varint(7, 1).toBytes(), "b.onnx"),
                "ModelProto.graph (field 7) has wire type varint");
        refused(() -> OnnxModel.read(new Pb().varint(1, 7).toBytes(), "c.onnx"), "c.onnx holds no graph");
        refused(() -> OnnxModel.read(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, "d.png"),
                "d.png is not a readable ONNX model");
        Path missing = tmp.resolve("missing.onnx");
        refused(() -> OnnxModel.read(missing), "cannot read ONNX file " + missing);
    }

    private static byte[] model(Pb graph) {
        return new Pb().varint(1, 8).string(2, "pb-test")
                .message(8, new Pb().varint(2, 17))
                .message(8, new Pb().string(1, "com.example").varint(2, 2))
                .message(7, graph).toBytes();
    }

    private static OnnxNode nodeWith(Pb... attributes) throws ModelException {
        Pb node = new Pb().string(3, "n").string(4, "Conv");
        for (Pb a : attributes) {
            node.message(5, a);
        }
        return OnnxModel.read(model(new Pb().message(1, node)), "attrs.onnx").graph().nodes().get(0);
    }

    private static Map<String, OnnxTensor> initializers(Pb... tensors) throws ModelException {
        Pb graph = new Pb();
        for (Pb t : tensors) {
            graph.message(5, t);
        }
        return OnnxModel.read(model(graph), TestModel.SOURCE).graph().initializers();
    }

    private static Pb tensor(String name, int dataType, long... dims) {
        Pb t = new Pb().string(8, name).varint(2, dataType);
        for (long d : dims) {
            t.varint(1, d);
        }
        return t;
    }

    private static byte[] le(int width, long... values) {
        ByteBuffer b = ByteBuffer.allocate(width * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            if (width == 4) {
                b.putInt((int) v);
            } else {
                b.putLong(v);
            }
        }
        return b.array();
    }

    private static void refused(Executable read, String message) {
        ModelException e = assertThrows(ModelException.class, read);
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
