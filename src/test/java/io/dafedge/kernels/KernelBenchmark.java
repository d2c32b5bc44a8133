package io.dafedge.kernels;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.dafedge.model.djl.Djl;
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
 * Single convolutions of MobileNetV2 at a 256x256 input, batch 1, on 2 threads (and on 1, which a busy machine
 * disturbs less): {@code djl} is PyTorch's conv2d
 * through DJL on arrays already in native memory (its output freed per call), {@code kernels} ours on HWC arrays
 * into a preallocated output. Both with bias and no activation. {@code tiny} is a 1x1 convolution of 8 channels
 * on 4x4 pixels: the fixed cost of a call. Read the two as a ratio; GFLOP/s = 2 x MACs (printed at setup) / time.
 * Run: {@code ./mvnw -Pbench test-compile exec:exec -Dbench=KernelBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
public class KernelBenchmark {
    /** name: the convolution and its input height and width */
    private static final Map<String, Layer> LAYERS = Map.of(
            "conv3x3s2-3to32@256", new Layer(ConvShape.of(3, 32, 3).withStride(2).withPadding(1), 256),
            "dw3x3s1-96@128", new Layer(ConvShape.depthwise(96, 3).withPadding(1), 128),
            "dw3x3s2-96@128", new Layer(ConvShape.depthwise(96, 3).withStride(2).withPadding(1), 128),
            "pw-16to96@128", new Layer(ConvShape.of(16, 96, 1), 128),
            "pw-96to24@64", new Layer(ConvShape.of(96, 24, 1), 64),
            "pw-24to144@64", new Layer(ConvShape.of(24, 144, 1), 64),
            "pw-144to32@32", new Layer(ConvShape.of(144, 32, 1), 32),
            "tiny-pw-8to8@4", new Layer(ConvShape.of(8, 8, 1), 4));

    record Layer(ConvShape shape, int size) {
    }

    @Param({"conv3x3s2-3to32@256", "dw3x3s1-96@128", "dw3x3s2-96@128", "pw-16to96@128", "pw-96to24@64",
            "pw-24to144@64", "pw-144to32@32", "tiny-pw-8to8@4"})
    public String layer;

    /** Both sides' threads; a fork per value, so PyTorch's are set before its engine loads. */
    @Param({"2", "1"})
    public int threads;

    private int size;
    private NDManager manager;
    private NDArray x;
    private NDArray weight;
    private NDArray bias;
    private ConvShape shape;
    private Conv2d conv;
    private float[] input;
    private float[] output;

    @Setup
    public void setup() {
        Layer l = LAYERS.get(layer);
        shape = l.shape();
        size = l.size();
        SplittableRandom random = new SplittableRandom(1);
        float[] w = Conv2dTest.uniform(random, shape.weightCount(), 0.1);
        float[] b = Conv2dTest.uniform(random, shape.outChannels(), 0.1);
        float[] chw = Conv2dTest.uniform(random, shape.inChannels() * size * size, 1);

        Djl.useThreads(threads);
        manager = Djl.newManager();
        x = manager.create(chw, new Shape(1, shape.inChannels(), size, size));
        weight = manager.create(w, new Shape(shape.outChannels(), shape.inChannels() / shape.groups(),
                shape.kernelHeight(), shape.kernelWidth()));
        bias = manager.create(b, new Shape(shape.outChannels()));

        conv = Conv2d.create(shape, w, b, Isa.selected(), threads);
        input = Layout.chwToHwc(chw, shape.inChannels(), size, size);
        output = new float[conv.outputLength(size, size)];
        System.out.println(layer + ": " + conv + ", " + shape.macs(size, size) + " MACs");
    }

    @TearDown
    public void tearDown() {
        conv.close();
        manager.close();
    }

    @Benchmark
    public long djl() {
        try (NDArray y = ai.djl.nn.convolutional.Conv2d.conv2d(x, weight, bias,
                new Shape(shape.strideHeight(), shape.strideWidth()), new Shape(shape.padTop(), shape.padLeft()),
                new Shape(1, 1), shape.groups()).singletonOrThrow()) {
            return y.getShape().size();
        }
    }

    @Benchmark
    public float[] kernels() {
        conv.run(input, size, size, null, output);
        return output;
    }
}
