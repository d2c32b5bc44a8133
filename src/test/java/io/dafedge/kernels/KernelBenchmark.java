package io.dafedge.kernels;

import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.dafedge.model.djl.Djl;
import io.dafedge.prune.Masks;
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
 * Run: {@code ./mvnw -Pbench test-compile exec:exec -Dbench=KernelBenchmark} (with {@link Sparse} too), only these
 * with {@code -Dbench='KernelBenchmark\.(djl|kernels)'}.
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

    /**
     * Pruned convolutions: the same weights packed dense and sparse, with 32x1 block-punched masks keeping 100, 50
     * and 25 % of the (32-filter block, kernel position, input channel) rows ({@code dense} is the 100 % weights
     * packed dense), and 0 % (only bias and store: the floor no pruning gets below); bias, no activation, the
     * selected ISA. Timed per call (sample mode): read the medians, and
     * sparse against dense of the same layer as a ratio next to the kept fraction. Kept fraction and executed MACs
     * are printed at setup. Run: {@code ./mvnw -Pbench test-compile exec:exec -Dbench=KernelBenchmark.Sparse}.
     */
    @State(Scope.Benchmark)
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Warmup(iterations = 3, time = 1)
    @Measurement(iterations = 5, time = 1)
    @Fork(1)
    @Threads(1)
    public static class Sparse {
        private static final Map<String, Layer> LAYERS = Map.of(
                "pw-192to32@32", new Layer(ConvShape.of(192, 32, 1), 32),
                "pw-32to192@32", new Layer(ConvShape.of(32, 192, 1), 32),
                "conv3x3-192to96@32", new Layer(ConvShape.of(192, 96, 3).withPadding(1), 32),
                "pw-24to144@64", new Layer(ConvShape.of(24, 144, 1), 64));

        @Param({"pw-192to32@32", "pw-32to192@32", "conv3x3-192to96@32", "pw-24to144@64"})
        public String layer;

        /** dense, or sparse-K: sparse packing of a block mask keeping K % of the rows */
        @Param({"dense", "sparse-100", "sparse-50", "sparse-25", "sparse-0"})
        public String packing;

        @Param({"2", "1"})
        public int threads;

        private int size;
        private Conv2d conv;
        private float[] input;
        private float[] output;

        @Setup
        public void setup() {
            Layer l = LAYERS.get(layer);
            ConvShape shape = l.shape();
            size = l.size();
            SplittableRandom random = new SplittableRandom(1);
            float[] w = Conv2dTest.uniform(random, shape.weightCount(), 0.1);
            float[] b = Conv2dTest.uniform(random, shape.outChannels(), 0.1);
            input = Conv2dTest.uniform(random, shape.inChannels() * size * size, 1);
            boolean dense = packing.equals("dense");
            double kept = dense ? 1 : Integer.parseInt(packing.substring("sparse-".length())) / 100.0;
            float[] mask = Masks.blockPunched(w, new int[] {shape.outChannels(), shape.inChannels(),
                    shape.kernelHeight(), shape.kernelWidth()}, 32, 1, 1 - kept);
            for (int i = 0; i < w.length; i++) {
                w[i] *= mask[i];
            }
            conv = Conv2d.create(shape, w, b, Isa.selected(), threads, dense ? Packing.DENSE : Packing.SPARSE);
            output = new float[conv.outputLength(size, size)];
            System.out.println(String.format(Locale.ROOT, "%s %s: %s, kept fraction %.4f, %d of %d MACs", layer,
                    packing, conv, conv.keptFraction(), conv.executedMacs(size, size), shape.macs(size, size)));
        }

        @TearDown
        public void tearDown() {
            conv.close();
        }

        @Benchmark
        public float[] run() {
            conv.run(input, size, size, null, output);
            return output;
        }
    }
}
