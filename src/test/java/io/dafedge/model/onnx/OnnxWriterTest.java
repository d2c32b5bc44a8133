package io.dafedge.model.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.dafedge.model.onnx.OnnxValueInfo.Dim;
import io.dafedge.model.onnx.OnnxWriter.Attribute;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A written model read back by the project's reader, and run by ONNX Runtime against a plain-Java reference. */
class OnnxWriterTest {
    private static final int C_IN = 2;
    private static final int C_OUT = 3;
    private static final int H = 5;
    private static final int W = 4;

    @TempDir
    Path tmp;

    private final Random random = new Random(11);
    private final float[] weights = gaussian(C_OUT * C_IN * 9);
    private final float[] bias = gaussian(C_OUT);

    /**
     * x -> Conv (3x3, SAME_UPPER, bias) -> times 2.5 -> LeakyRelu(0.1) -> flattened per sample -> plus a Constant
     * 0.5 -> outputs "out" and its three largest values "top". Every attribute type and both initializer types.
     */
    private OnnxWriter model() {
        OnnxWriter w = new OnnxWriter("tiny", 17).producer("daf-edge-test", "1.2.3").docString("what it does")
                .metadata("bundle", "b-1").metadata("size", "5x4");
        w.input("x", List.of(Dim.symbolic("N"), Dim.of(C_IN), Dim.of(H), Dim.of(W)));
        w.initializer("w", new long[] {C_OUT, C_IN, 3, 3}, weights);
        w.initializer("b", new long[] {C_OUT}, bias);
        w.initializer("scale", new long[0], new float[] {2.5f});
        w.initializer("shape", new long[] {2}, new long[] {0, -1});
        w.initializer("k", new long[] {1}, new long[] {3});
        w.node("Conv", List.of("x", "w", "b"), List.of("y"), Attribute.ints("kernel_shape", 3, 3),
                Attribute.of("auto_pad", "SAME_UPPER"), Attribute.of("group", 1L));
        w.node("Mul", List.of("y", "scale"), List.of("z"));
        w.node("LeakyRelu", List.of("z"), List.of("a"), Attribute.of("alpha", 0.1f));
        w.node("Reshape", List.of("a", "shape"), List.of("flat"));
        w.node("Constant", List.of(), List.of("c"), Attribute.floats("value_floats", 0.5f));
        w.node("Add", List.of("flat", "c"), List.of("out"));
        w.node("TopK", List.of("out", "k"), List.of("top", "top_indices"), Attribute.of("axis", 1L));
        w.output("out", List.of(Dim.symbolic("N"), Dim.of(C_OUT * H * W)));
        w.output("top", List.of(Dim.symbolic("N"), Dim.of(3)));
        return w;
    }

    @Test
    void readsBackThroughTheProjectsReader() throws Exception {
        OnnxModel m = OnnxModel.read(model().toBytes(), "tiny.onnx");
        assertEquals(OnnxWriter.IR_VERSION, m.irVersion());
        assertEquals("daf-edge-test", m.producerName());
        assertEquals(Map.of("", 17L), m.opsetVersions());
        OnnxGraph g = m.graph();
        assertEquals("tiny", g.name());
        assertEquals(List.of(new OnnxValueInfo("x", DataType.FLOAT,
                Optional.of(List.of(Dim.symbolic("N"), Dim.of(C_IN), Dim.of(H), Dim.of(W))))), g.inputs());
        assertEquals(List.of("out", "top"), g.outputs().stream().map(OnnxValueInfo::name).toList());
        assertEquals(List.of(Dim.symbolic("N"), Dim.of(3)), g.outputs().get(1).shape().orElseThrow());
        assertEquals(List.of("Conv", "Mul", "LeakyRelu", "Reshape", "Constant", "Add", "TopK"),
                g.nodes().stream().map(OnnxNode::opType).toList());

        OnnxNode conv = g.nodes().get(0);
        assertEquals(List.of("x", "w", "b"), conv.inputs());
        assertEquals(List.of("y"), conv.outputs());
        assertEquals("y", conv.name());
        assertArrayEquals(new long[] {3, 3}, conv.intsAttr("kernel_shape", null));
        assertEquals("SAME_UPPER", conv.stringAttr("auto_pad", ""));
        assertEquals(1, conv.intAttr("group", 0));
        assertEquals(0.1f, g.nodes().get(2).floatAttr("alpha", 0));
        assertArrayEquals(new float[] {0.5f}, g.nodes().get(4).attribute("value_floats").orElseThrow().asFloats());
        assertEquals(List.of(), g.nodes().get(4).inputs());
        assertEquals(List.of("top", "top_indices"), g.nodes().get(6).outputs());

        assertArrayEquals(weights, g.initializer("w").orElseThrow().floats());
        assertArrayEquals(new long[] {C_OUT, C_IN, 3, 3}, g.initializer("w").orElseThrow().dims());
        assertArrayEquals(bias, g.initializer("b").orElseThrow().floats());
        assertArrayEquals(new long[0], g.initializer("scale").orElseThrow().dims());
        assertArrayEquals(new float[] {2.5f}, g.initializer("scale").orElseThrow().floats());
        assertEquals(DataType.INT64, g.initializer("shape").orElseThrow().dataType());
        assertArrayEquals(new long[] {0, -1}, g.initializer("shape").orElseThrow().longs());
    }

    @Test
    void onnxRuntimeRunsItAsThePlainJavaReferenceComputes() throws Exception {
        int n = 2;
        float[] x = gaussian(n * C_IN * H * W);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
             OrtSession session = env.createSession(model().toBytes(), opts);
             OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {n, C_IN, H, W});
             OrtSession.Result result = session.run(Map.of("x", in))) {
            assertEquals("daf-edge-test", session.getMetadata().getProducerName());
            assertEquals("what it does", session.getMetadata().getDescription());
            assertEquals(Map.of("bundle", "b-1", "size", "5x4"), session.getMetadata().getCustomMetadata());
            float[][] out = (float[][]) result.get("out").orElseThrow().getValue();
            float[][] top = (float[][]) result.get("top").orElseThrow().getValue();
            for (int i = 0; i < n; i++) {
                float[] expected = reference(Arrays.copyOfRange(x, i * C_IN * H * W, (i + 1) * C_IN * H * W));
                assertArrayEquals(expected, out[i], 1e-5f);
                float[] sorted = expected.clone();
                Arrays.sort(sorted);
                assertArrayEquals(new float[] {sorted[sorted.length - 1], sorted[sorted.length - 2],
                        sorted[sorted.length - 3]}, top[i], 1e-5f);
            }
        }
    }

    /** One sample through the model's ops, in double: zero-padded 3x3 convolution and the element-wise rest. */
    private float[] reference(float[] x) {
        float[] out = new float[C_OUT * H * W];
        for (int o = 0; o < C_OUT; o++) {
            for (int y = 0; y < H; y++) {
                for (int xx = 0; xx < W; xx++) {
                    double acc = bias[o];
                    for (int c = 0; c < C_IN; c++) {
                        for (int ky = 0; ky < 3; ky++) {
                            for (int kx = 0; kx < 3; kx++) {
                                int sy = y + ky - 1;
                                int sx = xx + kx - 1;
                                if (sy >= 0 && sy < H && sx >= 0 && sx < W) {
                                    acc += (double) weights[((o * C_IN + c) * 3 + ky) * 3 + kx]
                                            * x[(c * H + sy) * W + sx];
                                }
                            }
                        }
                    }
                    double z = 2.5 * acc;
                    out[(o * H + y) * W + xx] = (float) ((z < 0 ? 0.1 * z : z) + 0.5);
                }
            }
        }
        return out;
    }

    @Test
    void refusesGraphsThatBreakSingleAssignmentOrOrder() {
        OnnxWriter w = new OnnxWriter("bad", 17);
        w.input("x", List.of(Dim.of(1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> w.node("Relu", List.of("later"), List.of("y")));
        assertTrue(e.getMessage().contains("'later' is not defined yet"), e.getMessage());
        w.node("Relu", List.of("x"), List.of("y"));
        e = assertThrows(IllegalArgumentException.class, () -> w.node("Relu", List.of("x"), List.of("y")));
        assertTrue(e.getMessage().contains("'y' is defined twice"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> w.initializer("x", new long[] {1}, new float[] {1}));
        e = assertThrows(IllegalArgumentException.class, () -> w.initializer("w", new long[] {2, 3}, new float[5]));
        assertTrue(e.getMessage().contains("need 6"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> w.output("nowhere", List.of()));
        assertThrows(IllegalStateException.class, w::toBytes, "a graph without outputs");
    }

    @Test
    void writesTheFileWholeOrNotAtAll() throws Exception {
        OnnxWriter w = model();
        Path file = tmp.resolve("sub/dir/tiny.onnx");
        w.write(file);
        assertArrayEquals(w.toBytes(), Files.readAllBytes(file));
        assertEquals(List.of(file), listing(file.getParent()), "no temporary file left");
        Path plain = Files.writeString(tmp.resolve("sub/plain"), "x");
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(file),
                "the permissions of any new file");
        Files.delete(plain);

        Path notAFolder = Files.writeString(tmp.resolve("plain-file"), "x");
        assertThrows(IOException.class, () -> w.write(notAFolder.resolve("tiny.onnx")));
        assertEquals(List.of(notAFolder, tmp.resolve("sub")), listing(tmp));
        assertFalse(Files.exists(tmp.resolve("tiny.onnx")));
    }

    private static List<Path> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    private float[] gaussian(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
