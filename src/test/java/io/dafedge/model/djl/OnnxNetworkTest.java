package io.dafedge.model.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.dafedge.model.FeatureMap;
import io.dafedge.model.ModelException;
import io.dafedge.model.OnnxTeacher;
import io.dafedge.model.Preprocessing;
import io.dafedge.model.onnx.OnnxGraph;
import io.dafedge.model.onnx.OnnxModel;
import io.dafedge.synth.ImageFiles;
import io.dafedge.synth.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shared MobileNetV2 teacher rebuilt in DJL against ONNX Runtime, and students of the same structure. */
class OnnxNetworkTest {
    private static final List<String> PYRAMID = List.of("339", "365", "426");
    private static final double TOLERANCE = 1e-4;

    static Path models;
    static Path teacherFile;
    static NDManager manager;
    static OnnxNetwork teacher;
    static float[] image256;

    @BeforeAll
    static void setUp() throws Exception {
        Path shared = TestImages.shared();
        assumeTrue(shared != null, "../shared not present");
        models = shared.resolve("models");
        teacherFile = models.resolve("mobilenetv2-float-from-int8_feat.onnx");
        manager = Djl.newManager();
        teacher = OnnxNetwork.teacher(teacherFile, manager);
        Path good = shared.resolve("datasets/magnetic-tile/train/good");
        try (Stream<Path> files = Files.list(good)) {
            Path first = files.filter(p -> p.toString().endsWith(".jpg")).sorted().findFirst().orElseThrow();
            image256 = Preprocessing.imagenet(256).tensor(ImageFiles.read(first));
        }
    }

    @AfterAll
    static void tearDown() {
        if (manager != null) {
            manager.close();
        }
    }

    @Test
    void findsThePyramidByStride() {
        assertEquals(PYRAMID, teacher.outputNames());
        assertEquals("input", teacher.inputName());
        Shape[] shapes = teacher.getOutputShapes(new Shape[] {new Shape(2, 3, 256, 192)});
        assertEquals(new Shape(2, 24, 64, 48), shapes[0]);
        assertEquals(new Shape(2, 32, 32, 24), shapes[1]);
        assertEquals(new Shape(2, 96, 16, 12), shapes[2]);
    }

    @Test
    void teacherEqualsOnnxRuntimeOnARealImage() throws Exception {
        FeatureMap[] expected;
        try (OnnxTeacher ort = OnnxTeacher.open(teacherFile, 2)) {
            expected = ort.extract(image256, 256);
        }
        float[][] actual = djlTeacher(image256, 256, 256);
        for (int level = 0; level < 3; level++) {
            assertClose(expected[level].data(), actual[level], "level " + level);
        }
    }

    /** An odd, non-square size exercises the padding arithmetic at every stride (136/16 and 200/16 are not whole). */
    @Test
    void teacherEqualsOnnxRuntimeOnAnOddNonSquareInput() throws Exception {
        int h = 136;
        int w = 200;
        float[] crop = new float[3 * h * w];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(image256, (c * 256 + y + 30) * 256 + 20, crop, (c * h + y) * w, w);
            }
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(teacherFile.toString(), new OrtSession.SessionOptions());
             OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(crop), new long[] {1, 3, h, w});
             OrtSession.Result result = session.run(Map.of("input", in), Set.copyOf(PYRAMID))) {
            float[][] actual = djlTeacher(crop, h, w);
            for (int level = 0; level < 3; level++) {
                OnnxTensor t = (OnnxTensor) result.get(PYRAMID.get(level)).orElseThrow();
                assertArrayEquals(t.getInfo().getShape(), teacher.getOutputShapes(
                        new Shape[] {new Shape(1, 3, h, w)})[level].getShape(), "level " + level + " shape");
                FloatBuffer buf = t.getFloatBuffer();
                float[] expected = new float[buf.remaining()];
                buf.get(expected);
                assertClose(expected, actual[level], "level " + level);
            }
        }
    }

    @Test
    void studentHasTheTeachersStructureWithOtherValuesAndIsDeterministicPerSeed() throws Exception {
        try (NDManager m = manager.newSubManager()) {
            OnnxNetwork a = OnnxNetwork.student(teacherFile, 7, m);
            OnnxNetwork b = OnnxNetwork.student(teacherFile, 7, m);
            OnnxNetwork c = OnnxNetwork.student(teacherFile, 8, m);
            assertEquals(teacher.parameterCount(), a.parameterCount());
            assertEquals(teacher.getParameters().keys(), a.getParameters().keys());
            NDArray x = m.create(image256, new Shape(1, 3, 256, 256));
            NDList fa = a.features(x);
            NDList fb = b.features(x);
            NDList fc = c.features(x);
            NDList ft = teacher.features(x);
            for (int level = 0; level < 3; level++) {
                assertEquals(ft.get(level).getShape(), fa.get(level).getShape());
                assertArrayEquals(fa.get(level).toFloatArray(), fb.get(level).toFloatArray(), "same seed");
                assertFalse(fa.get(level).contentEquals(fc.get(level)), "other seed");
                assertFalse(fa.get(level).contentEquals(ft.get(level)), "not the teacher");
            }
            Parameter firstConv = a.getParameters().get(0).getValue();
            float std = (float) Math.sqrt(2.0 / (32 * 3 * 3));
            float sd = firstConv.getArray().pow(2).mean().sqrt().getFloat();
            assertEquals(std, sd, 0.15 * std, "Kaiming normal, fan_out");
        }
    }

    @Test
    void gradientsReachTheStudentsFirstConvButNotTheFrozenTeacher() throws Exception {
        try (NDManager m = manager.newSubManager()) {
            OnnxNetwork student = OnnxNetwork.student(teacherFile, 1, m);
            Parameter firstConv = student.getParameters().get(0).getValue();
            NDArray x = m.create(image256, new Shape(1, 3, 256, 256));
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                NDList s = student.forward(new ParameterStore(m, false), new NDList(x), true);
                NDList t = teacher.features(x);
                NDArray loss = s.get(0).sub(t.get(0)).pow(2).mean();
                for (int level = 1; level < 3; level++) {
                    loss = loss.add(s.get(level).sub(t.get(level)).pow(2).mean());
                }
                gc.backward(loss);
                assertTrue(firstConv.getArray().getGradient().abs().sum().getFloat() > 0, "first conv gradient");
            }
            assertFalse(teacher.getParameters().get(0).getValue().requiresGradient(), "teacher frozen");
        }
    }

    @Test
    void refusesAnUnsupportedOpNamingItAndItsNode() throws Exception {
        Path int8 = models.resolve("mobilenetv2-12-int8.onnx");
        OnnxGraph graph = OnnxModel.read(int8).graph();
        ModelException e = assertThrows(ModelException.class,
                () -> OnnxNetwork.teacher(graph, List.of("output"), manager));
        assertTrue(e.getMessage().contains("op QuantizeLinear is not supported") && e.getMessage().contains("node"),
                e.getMessage());
        ModelException noPyramid = assertThrows(ModelException.class, () -> OnnxNetwork.student(int8, 1, manager));
        assertTrue(noPyramid.getMessage().contains("mobilenetv2-12-int8.onnx")
                && noPyramid.getMessage().contains("4-D outputs"), noPyramid.getMessage());
    }

    private static float[][] djlTeacher(float[] chw, int h, int w) {
        try (NDManager step = manager.newSubManager()) {
            NDList out = teacher.features(step.create(chw, new Shape(1, 3, h, w)));
            float[][] levels = new float[out.size()][];
            for (int i = 0; i < levels.length; i++) {
                levels[i] = out.get(i).toFloatArray();
            }
            return levels;
        }
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " size");
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < expected.length; i++) {
            diff += (double) (expected[i] - actual[i]) * (expected[i] - actual[i]);
            norm += (double) expected[i] * expected[i];
        }
        double relative = Math.sqrt(diff / norm);
        assertTrue(norm > 0, what + " is all zeros");
        assertTrue(relative < TOLERANCE, what + ": relative L2 " + relative);
    }
}
