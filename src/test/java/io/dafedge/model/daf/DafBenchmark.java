package io.dafedge.model.daf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.dafedge.model.AnomalyMap;
import io.dafedge.model.Detector;
import io.dafedge.model.ModelBundle;
import io.dafedge.model.OnnxTeacher;
import io.dafedge.model.Preprocessing;
import io.dafedge.model.djl.Djl;
import io.dafedge.model.djl.OnnxNetwork;
import io.dafedge.synth.Image;
import io.dafedge.synth.ImageFiles;
import io.dafedge.synth.SynthRun;
import io.dafedge.synth.TestImages;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Dense DAF inference per frame at 256x256, batch 1, 2 threads, to the anomaly map and image score:
 * {@code djl-dense} runs teacher, student, decoder and heads in DJL from the normalised tensor; {@code djl-detector}
 * is {@link DafDetector} (teacher in ONNX Runtime, the rest in DJL) and {@code onnxruntime-detector} is
 * {@link DafOnnxDetector} (the bundle's exported graph in ONNX Runtime, what {@code eval} and the appliance run), both
 * from a 256x256 image. All in one JVM, to be read as ratios. The network is freshly initialised: its cost does not
 * depend on the values. Needs ../shared for the teacher and an image.
 * Run: {@code ./mvnw -Pbench test-compile exec:exec -Dbench=DafBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 4)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.pytorch.num_threads=2", "-Dai.djl.pytorch.num_interop_threads=1"})
@Threads(1)
public class DafBenchmark {
    private static final int SIZE = 256;
    private static final int THREADS = 2;

    @Param({"djl-dense", "djl-detector", "onnxruntime-detector"})
    public String backend;

    private NDManager manager;
    private OnnxNetwork djlTeacher;
    private DafNetwork network;
    private float[] tensor;
    private Image image;
    private Detector detector;
    private Path bundleDir;

    @Setup
    public void setup() throws Exception {
        Path shared = TestImages.shared();
        if (shared == null) {
            throw new IllegalStateException("DafBenchmark needs ../shared (teacher and an image)");
        }
        Path teacherFile = TestImages.teacher();
        Path image = SynthRun.readableImages(shared.resolve("datasets/magnetic-tile/train/good"), m -> { }).get(0);
        Preprocessing pre = Preprocessing.imagenet(SIZE);
        this.image = pre.resized(ImageFiles.read(image));
        tensor = pre.tensor(this.image);
        Djl.useThreads(THREADS);
        manager = Djl.newManager();
        network = DafNetwork.create(teacherFile, Normalisation.MIN_MAX, 0, manager);
        network.freeze();
        if (backend.equals("djl-dense")) {
            djlTeacher = OnnxNetwork.teacher(teacherFile, manager);
            return;
        }
        bundleDir = Files.createTempDirectory("daf-bench-").resolve("bundle");
        try (OnnxTeacher teacher = OnnxTeacher.open(teacherFile, THREADS)) {
            DafBundle.write(network, teacher, pre, ModelBundle.JSON.createObjectNode(),
                    ModelBundle.JSON.createObjectNode(), bundleDir);
        }
        ModelBundle bundle = ModelBundle.open(bundleDir);
        detector = backend.equals("djl-detector") ? DafDetector.load(bundle, THREADS)
                : DafOnnxDetector.load(bundle, THREADS);
    }

    @Benchmark
    public AnomalyMap frame() {
        if (detector != null) {
            return detector.score(image);
        }
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(tensor, new Shape(1, 3, SIZE, SIZE));
            return DafDetector.map(network.forward(x, djlTeacher.features(x), false));
        }
    }

    @TearDown
    public void tearDown() throws Exception {
        if (detector != null) {
            detector.close();
            try (Stream<Path> files = Files.walk(bundleDir.getParent())) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        manager.close();
    }
}
