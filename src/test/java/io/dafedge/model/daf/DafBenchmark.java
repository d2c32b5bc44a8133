package io.dafedge.model.daf;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.dafedge.model.AnomalyMap;
import io.dafedge.model.OnnxTeacher;
import io.dafedge.model.Preprocessing;
import io.dafedge.model.djl.Djl;
import io.dafedge.model.djl.OnnxNetwork;
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
 * Dense DAF inference per frame at 256x256, batch 1, 2 threads, from the normalised tensor to the anomaly map and
 * image score: {@code djl-dense} runs teacher, student, decoder and heads in DJL; {@code detector} is what
 * {@code eval} and the appliance run (teacher in ONNX Runtime, the rest in DJL). Both in one JVM, to be read as a
 * ratio. The network is freshly initialised: its cost does not depend on the values. Needs ../shared for the teacher
 * and an image.
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

    @Param({"djl-dense", "detector"})
    public String backend;

    private NDManager manager;
    private OnnxNetwork djlTeacher;
    private OnnxTeacher ortTeacher;
    private DafNetwork network;
    private float[] tensor;

    @Setup
    public void setup() throws Exception {
        Path shared = TestImages.shared();
        if (shared == null) {
            throw new IllegalStateException("DafBenchmark needs ../shared (teacher and an image)");
        }
        Path teacherFile = shared.resolve("models/mobilenetv2-float-from-int8_feat.onnx");
        Path image = SynthRun.readableImages(shared.resolve("datasets/magnetic-tile/train/good"), m -> { }).get(0);
        tensor = Preprocessing.imagenet(SIZE).tensor(ImageFiles.read(image));
        Djl.useThreads(THREADS);
        manager = Djl.newManager();
        network = DafNetwork.create(teacherFile, Normalisation.MIN_MAX, 0, manager);
        network.freeze();
        if (backend.equals("djl-dense")) {
            djlTeacher = OnnxNetwork.teacher(teacherFile, manager);
        } else {
            ortTeacher = OnnxTeacher.open(teacherFile, THREADS);
        }
    }

    @Benchmark
    public AnomalyMap frame() {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(tensor, new Shape(1, 3, SIZE, SIZE));
            List<NDArray> t = djlTeacher != null ? djlTeacher.features(x)
                    : DafDetector.arrays(ortTeacher.extract(tensor, SIZE), m);
            return DafDetector.map(network.forward(x, t, false));
        }
    }

    @TearDown
    public void tearDown() {
        if (ortTeacher != null) {
            ortTeacher.close();
        }
        manager.close();
    }
}
