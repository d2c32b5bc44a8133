package io.dafedge.model.daf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.dafedge.model.AnomalyMap;
import io.dafedge.model.Detector;
import io.dafedge.model.ModelBundle;
import io.dafedge.model.OnnxTeacher;
import io.dafedge.model.Preprocessing;
import io.dafedge.model.djl.Djl;
import io.dafedge.model.onnx.OnnxModel;
import io.dafedge.model.onnx.OnnxValueInfo.Dim;
import io.dafedge.model.onnx.OnnxWriter;
import io.dafedge.synth.Image;
import io.dafedge.synth.ImageFiles;
import io.dafedge.synth.TestImages;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exported ONNX model, run by ONNX Runtime, against {@link DafDetector#score} (the reference) on the same images:
 * random pixels, a textured surface and a real magnetic-tile image, at the input size and at other sizes the
 * detector resizes, all in one batch.
 */
class DafOnnxExportTest {
    private static final double MAP_TOLERANCE = 1e-4;
    private static final double SCORE_TOLERANCE = 1e-4;
    /** For the discrepancy and segmentation maps on their own: float rounding alone gives about 1e-6. */
    private static final double PART_TOLERANCE = 1e-5;
    private static final String SEGMENTATION = "head/segmentation";

    @TempDir
    Path tmp;
    Path shared;

    @BeforeEach
    void shared() {
        shared = TestImages.shared();
        assumeTrue(shared != null, "../shared not present");
    }

    @Test
    void onnxRuntimeOnTheExportScoresAsTheDetectorDoes() throws Exception {
        Path bundle = bundle(Normalisation.MIN_MAX, 160);
        Path tile;
        try (Stream<Path> files = Files.list(shared.resolve("datasets/magnetic-tile/test/blowhole"))) {
            tile = files.filter(f -> f.toString().endsWith(".jpg")).sorted().findFirst().orElseThrow();
        }
        Random random = new Random(5);
        List<Image> images = List.of(noise(160, 160, random), ImageFiles.read(tile),
                TestImages.surface(237, 181, 3, 2), TestImages.surface(100, 90, 1, 3));
        assertTrue(images.get(0).width == 160 && images.get(0).height == 160, "one image at the input size");
        assertTrue(images.get(1).width != 160 && images.get(1).channels == 1, "the tile is grey and resized");
        List<Float> scores = compare(bundle, images);
        assertTrue(scores.stream().distinct().count() == images.size(), "distinct images score apart: " + scores);
    }

    @Test
    void theOtherNormalisationsExportToo() throws Exception {
        Random random = new Random(6);
        for (Normalisation n : new Normalisation[] {Normalisation.MAX, Normalisation.MAX_ABS}) {
            compare(bundle(n, 96), List.of(noise(96, 96, random), TestImages.surface(120, 100, 3, 4)));
        }
    }

    @Test
    void theExportInOnnxRuntimeScoresAsDjlDoes() throws Exception {
        ModelBundle bundle = ModelBundle.open(bundle(Normalisation.MIN_MAX, 96));
        Random random = new Random(7);
        try (Detector opened = DafOnnxDetector.load(bundle, 1); Detector djl = DafDetector.load(bundle, 1)) {
            assertEquals(96, opened.inputSize());
            for (Image image : List.of(noise(96, 96, random), TestImages.surface(130, 110, 1, 8))) {
                AnomalyMap expected = djl.score(image);
                AnomalyMap actual = opened.score(image);
                assertClose(expected.values(), actual.values(), MAP_TOLERANCE, "map");
                assertEquals(expected.score(), actual.score(), SCORE_TOLERANCE * Math.abs(expected.score()));
            }
        }
    }

    @Test
    void theFileReadsBackWithOneImageInputAndTwoOutputs() throws Exception {
        Path file = tmp.resolve("daf.onnx");
        DafOnnxExport.model(ModelBundle.open(bundle(Normalisation.MIN_MAX, 96))).write(file);
        OnnxModel m = OnnxModel.read(file);
        assertEquals(DafOnnxExport.OPSET, m.opsetVersion("").orElseThrow());
        assertEquals(List.of(DafOnnxExport.IMAGE), m.graph().dataInputs().stream().map(i -> i.name()).toList());
        assertEquals("[N, 3, 96, 96]", m.graph().inputs().get(0).shape().orElseThrow().toString());
        assertEquals(List.of(DafOnnxExport.MAP, DafOnnxExport.SCORE),
                m.graph().outputs().stream().map(o -> o.name()).toList());
        assertEquals("[N, 1, 96, 96]", m.graph().outputs().get(0).shape().orElseThrow().toString());
        assertTrue(m.graph().initializers().keySet().stream().anyMatch(name -> name.contains("decoder")));
        assertTrue(m.graph().initializers().keySet().stream().noneMatch(name -> name.contains("boost")),
                "the training-only boost heads are left out");
    }

    /**
     * Scores the images as one batch with ONNX Runtime on the export and one by one with the detector; returns the
     * detector's scores. The export also gets the segmentation and discrepancy maps as extra outputs, compared with
     * the network's own: the anomaly map is mostly the discrepancies, so a fault in the decoder alone would hardly
     * move it.
     */
    private List<Float> compare(Path bundleDir, List<Image> images) throws Exception {
        ModelBundle bundle = ModelBundle.open(bundleDir);
        Preprocessing pre = bundle.preprocessing();
        int size = pre.size();
        OnnxWriter model = DafOnnxExport.model(bundle);
        Dim n = Dim.symbolic("N");
        model.output(SEGMENTATION, List.of(n, Dim.of(1), Dim.of(size), Dim.of(size)));
        for (int l = 0; l < 3; l++) {
            Dim side = Dim.of(size >> (l + 2));
            model.output(discrepancy(l), List.of(n, Dim.symbolic("C"), side, side));
        }
        Path file = tmp.resolve(bundle.id() + ".onnx");
        model.write(file);
        int plane = size * size;
        float[] batch = new float[images.size() * 3 * plane];
        for (int i = 0; i < images.size(); i++) {
            Image rgb = pre.resized(images.get(i));
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < plane; p++) {
                    batch[(i * 3 + c) * plane + p] = (rgb.data[p * 3 + c] & 0xFF) / 255f;
                }
            }
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        List<Float> scores = new ArrayList<>();
        try (Detector detector = DafDetector.load(bundle, 1);
             NDManager m = Djl.newManager();
             OnnxTeacher teacher = bundle.openTeacher(1);
             OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            DafNetwork network = DafBundle.load(bundle, m);
            opts.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(file.toString(), opts);
                 OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(batch),
                         new long[] {images.size(), 3, size, size});
                 OrtSession.Result out = session.run(Map.of(DafOnnxExport.IMAGE, in))) {
                float[] maps = floats(out, DafOnnxExport.MAP);
                float[] onnxScores = floats(out, DafOnnxExport.SCORE);
                float[] segmentations = floats(out, SEGMENTATION);
                for (int i = 0; i < images.size(); i++) {
                    AnomalyMap expected = detector.score(images.get(i));
                    assertClose(expected.values(), sample(maps, i, images.size()), MAP_TOLERANCE, "map " + i);
                    assertEquals(expected.score(), onnxScores[i], SCORE_TOLERANCE * Math.abs(expected.score()),
                            "image " + i);
                    assertTrue(spread(expected.values()) > 1e-3, "image " + i + ": the map is not flat");
                    scores.add(expected.score());

                    float[] tensor = pre.tensor(images.get(i));
                    try (NDManager step = m.newSubManager()) {
                        DafNetwork.Output own = network.forward(step.create(tensor, new Shape(1, 3, size, size)),
                                DafDetector.arrays(teacher.extract(tensor, size), step), false);
                        assertClose(own.segmentation().toFloatArray(), sample(segmentations, i, images.size()),
                                PART_TOLERANCE, "segmentation " + i);
                        for (int l = 0; l < 3; l++) {
                            assertClose(own.discrepancies().get(l).toFloatArray(),
                                    sample(floats(out, discrepancy(l)), i, images.size()), PART_TOLERANCE,
                                    "discrepancy " + (l + 1) + " of image " + i);
                        }
                    }
                }
            }
        }
        return scores;
    }

    /** The names the export gives the parts, as {@link DafNetwork#export} and {@link DjlDiscrepancy} choose them. */
    private static String discrepancy(int level) {
        return "discrepancy" + (level + 1) + "/d";
    }

    private static float[] floats(OrtSession.Result out, String name) {
        FloatBuffer b = ((OnnxTensor) out.get(name).orElseThrow()).getFloatBuffer();
        float[] v = new float[b.remaining()];
        b.get(v);
        return v;
    }

    /** Sample {@code i} of a batch of {@code n}, flattened. */
    private static float[] sample(float[] batch, int i, int n) {
        int each = batch.length / n;
        return Arrays.copyOfRange(batch, i * each, (i + 1) * each);
    }

    private static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what);
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < expected.length; i++) {
            diff += Math.pow(actual[i] - expected[i], 2);
            norm += Math.pow(expected[i], 2);
        }
        double error = Math.sqrt(diff / norm);
        assertTrue(error <= tolerance, what + " differs by " + error + " relative L2");
    }

    /**
     * A DAF bundle on the shared teacher with random weights: every parameter perturbed from its initial value so
     * that biases, BN shifts and running means are not zero and scales and variances not one, and a wrong wiring of
     * any of them shows.
     */
    private Path bundle(Normalisation normalisation, int size) throws Exception {
        Path teacherFile = TestImages.teacher();
        Path dir = tmp.resolve(normalisation + "-" + size);
        Random random = new Random(size);
        try (NDManager m = Djl.newManager(); OnnxTeacher teacher = OnnxTeacher.open(teacherFile, 1)) {
            DafNetwork net = DafNetwork.create(teacherFile, normalisation, size, m);
            for (Map.Entry<String, Parameter> p : net.parameters().entrySet()) {
                float[] v = p.getValue().getArray().toFloatArray();
                for (int i = 0; i < v.length; i++) {
                    v[i] = p.getKey().endsWith("running_var") ? 0.5f + 1.5f * random.nextFloat()
                            : v[i] * (1 + 0.2f * (random.nextFloat() - 0.5f)) + 0.05f * (float) random.nextGaussian();
                }
                p.getValue().getArray().set(FloatBuffer.wrap(v));
            }
            DafBundle.write(net, teacher, Preprocessing.imagenet(size), ModelBundle.JSON.createObjectNode(),
                    ModelBundle.JSON.createObjectNode(), dir);
        }
        return dir;
    }

    private static Image noise(int width, int height, Random random) {
        byte[] data = new byte[width * height * 3];
        random.nextBytes(data);
        return new Image(width, height, 3, data);
    }

    private static double spread(float[] v) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (float x : v) {
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        return max - min;
    }
}
