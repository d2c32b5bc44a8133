package io.dafedge.model.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.dafedge.model.onnx.OnnxGraph;
import io.dafedge.model.onnx.OnnxGraphBuilder;
import io.dafedge.model.onnx.OnnxModel;
import io.dafedge.model.onnx.OnnxValueInfo.Dim;
import io.dafedge.model.onnx.OnnxWriter;
import io.dafedge.model.onnx.OnnxWriter.Attribute;
import org.junit.jupiter.api.Test;

/**
 * Every op the DJL network supports, exported back to ONNX: ONNX Runtime on the export computes what the network
 * does, for the teacher (the source file's weights and Clip bounds) and for a student (fresh weights, its own Clip
 * bounds), and the teacher's export what ONNX Runtime computes on the source file.
 */
class OnnxNetworkExportTest {
    private static final int H = 17;
    private static final int W = 15;
    private static final List<String> OUTPUTS = List.of("relu6", "bn");

    private final Random random = new Random(3);

    /**
     * Conv (stride 2, SAME_UPPER) -> Relu -> BatchNormalization -> MaxPool (ceil mode, padded) -> depthwise dilated
     * Conv without bias -> Clip(-0.5, 0.8) -> Identity -> Add (residual) -> Clip(0, 6).
     */
    private byte[] source() {
        OnnxWriter w = new OnnxWriter("source", 13);
        w.input("x", List.of(Dim.of(1), Dim.of(3), Dim.of(H), Dim.of(W)));
        w.initializer("w1", new long[] {8, 3, 3, 3}, gaussian(8 * 27, 0.4f));
        w.initializer("b1", new long[] {8}, gaussian(8, 0.2f));
        w.initializer("gamma", new long[] {8}, uniform(8, 0.5f, 1.5f));
        w.initializer("beta", new long[] {8}, gaussian(8, 0.3f));
        w.initializer("mean", new long[] {8}, gaussian(8, 0.3f));
        w.initializer("var", new long[] {8}, uniform(8, 0.5f, 2f));
        w.initializer("w2", new long[] {8, 1, 3, 3}, gaussian(8 * 9, 0.4f));
        w.initializer("lo", new long[0], new float[] {-0.5f});
        w.initializer("hi", new long[0], new float[] {0.8f});
        w.initializer("zero", new long[0], new float[] {0f});
        w.initializer("six", new long[0], new float[] {6f});
        w.node("Conv", List.of("x", "w1", "b1"), List.of("c1"), Attribute.ints("kernel_shape", 3, 3),
                Attribute.ints("strides", 2, 2), Attribute.of("auto_pad", "SAME_UPPER"));
        w.node("Relu", List.of("c1"), List.of("r1"));
        w.node("BatchNormalization", List.of("r1", "gamma", "beta", "mean", "var"), List.of("bn"),
                Attribute.of("epsilon", 1e-3f));
        w.node("MaxPool", List.of("bn"), List.of("pool"), Attribute.ints("kernel_shape", 3, 3),
                Attribute.ints("strides", 2, 2), Attribute.ints("pads", 1, 0, 1, 1), Attribute.of("ceil_mode", 1L));
        w.node("Conv", List.of("pool", "w2"), List.of("dw"), Attribute.ints("kernel_shape", 3, 3),
                Attribute.of("group", 8L), Attribute.ints("dilations", 2, 2), Attribute.ints("pads", 2, 2, 2, 2));
        w.node("Clip", List.of("dw", "lo", "hi"), List.of("clipped"));
        w.node("Identity", List.of("clipped"), List.of("same"));
        w.node("Add", List.of("same", "pool"), List.of("sum"));
        w.node("Clip", List.of("sum", "zero", "six"), List.of("relu6"));
        w.output("relu6", List.of(Dim.of(1), Dim.of(8), Dim.symbolic("h"), Dim.symbolic("w")));
        w.output("bn", List.of(Dim.of(1), Dim.of(8), Dim.symbolic("h"), Dim.symbolic("w")));
        return w.toBytes();
    }

    @Test
    void theExportComputesWhatTheNetworkAndTheSourceDo() throws Exception {
        byte[] source = source();
        OnnxGraph graph = OnnxModel.read(source, "source.onnx").graph();
        float[] x = gaussian(3 * H * W, 1f);
        try (NDManager m = Djl.newManager()) {
            OnnxNetwork teacher = OnnxNetwork.teacher(graph, OUTPUTS, m);
            OnnxNetwork student = OnnxNetwork.student(graph, OUTPUTS, 9, m);
            List<float[]> fromSource = run(source, "x", x);
            List<float[]> teacherOwn = forward(teacher, x, m);
            List<float[]> studentOwn = forward(student, x, m);
            for (int i = 0; i < OUTPUTS.size(); i++) {
                assertArrayEquals(fromSource.get(i), teacherOwn.get(i), 1e-5f, "the network equals the source");
                assertArrayEquals(teacherOwn.get(i), run(export(teacher), "image", x).get(i), 1e-5f, OUTPUTS.get(i));
                assertArrayEquals(studentOwn.get(i), run(export(student), "image", x).get(i), 1e-5f, OUTPUTS.get(i));
            }
            assertTrue(studentOwn.get(0).length == teacherOwn.get(0).length
                    && !Arrays.equals(studentOwn.get(0), teacherOwn.get(0)), "the student has its own weights");
        }
    }

    @Test
    void exportedWeightsAndClipBoundsAreTheNetworksOwn() throws Exception {
        OnnxGraph graph = OnnxModel.read(source(), "source.onnx").graph();
        try (NDManager m = Djl.newManager()) {
            OnnxGraph student = OnnxModel.read(export(OnnxNetwork.student(graph, OUTPUTS, 9, m)), "export.onnx")
                    .graph();
            assertEquals(List.of("Conv", "Relu", "Mul", "Add", "MaxPool", "Conv", "Identity", "Identity", "Add",
                    "Clip"), student.nodes().stream().map(n -> n.opType()).toList(),
                    "BN as scale and shift; a Clip below 0 becomes Identity");
            assertArrayEquals(new float[] {6f}, student.initializer("const/6.0").orElseThrow().floats(),
                    "Clip(0, 6) keeps ReLU6's bound");
            assertEquals(List.of("image", "net/w1", "net/b1"), student.nodes().get(0).inputs(),
                    "the network's input bound to the given value, its weights in its scope");
            assertArrayEquals(new long[] {8, 1, 1}, student.initializer("net/bn/scale").orElseThrow().dims());
        }
    }

    /** The network alone as an ONNX model with input "image", its values under "net/". */
    private static byte[] export(OnnxNetwork network) {
        OnnxWriter w = new OnnxWriter("export", 17);
        w.input("image", List.of(Dim.of(1), Dim.of(3), Dim.of(H), Dim.of(W)));
        for (String out : network.export(new OnnxGraphBuilder(w).scope("net"), "image")) {
            w.output(out, List.of(Dim.of(1), Dim.of(8), Dim.symbolic("h"), Dim.symbolic("w")));
        }
        return w.toBytes();
    }

    private static List<float[]> forward(OnnxNetwork network, float[] x, NDManager m) {
        try (NDManager step = m.newSubManager()) {
            NDList out = network.features(step.create(x, new Shape(1, 3, H, W)));
            List<float[]> values = new ArrayList<>();
            out.forEach(a -> values.add(a.toFloatArray()));
            return values;
        }
    }

    /** All outputs of a model, in declaration order, for one input. */
    private static List<float[]> run(byte[] model, String input, float[] x) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
             OrtSession session = env.createSession(model, opts);
             OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {1, 3, H, W});
             OrtSession.Result result = session.run(Map.of(input, in))) {
            List<float[]> values = new ArrayList<>();
            for (Map.Entry<String, OnnxValue> e : result) {
                FloatBuffer b = ((OnnxTensor) e.getValue()).getFloatBuffer();
                float[] v = new float[b.remaining()];
                b.get(v);
                values.add(v);
            }
            return values;
        }
    }

    private float[] gaussian(int n, float sigma) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = sigma * (float) random.nextGaussian();
        }
        return v;
    }

    private float[] uniform(int n, float lo, float hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * random.nextFloat();
        }
        return v;
    }
}
