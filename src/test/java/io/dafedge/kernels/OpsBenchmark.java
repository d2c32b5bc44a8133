package io.dafedge.kernels;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.dafedge.model.FeatureMap;
import io.dafedge.model.Maps;
import io.dafedge.model.daf.Discrepancy;
import io.dafedge.model.daf.Normalisation;
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
 * {@link Ops} at DAF's sizes for a 256x256 image (levels of 64x64x24, 32x32x32, 16x16x96; the decoder's resizes;
 * the 256x256 anomaly map), {@code kernels} on 1 and 2 threads (the number after {@code @}; operators without a
 * thread count run on the caller's), against {@code reference}: the application's plain-Java code where there is
 * one ({@code Discrepancy}, {@code Maps}) and DJL's interpolation (PyTorch, 1 thread) for the bilinear resizes.
 * References work on CHW arrays and allocate their results, as they are used. Run:
 * {@code ./mvnw -Pbench test-compile exec:exec -Dbench=OpsBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
public class OpsBenchmark {
    @State(Scope.Benchmark)
    public static class Kernels {
        @Param({"discrepancy-64x64x24@1", "discrepancy-64x64x24@2", "discrepancy-32x32x32@1",
                "discrepancy-32x32x32@2", "discrepancy-16x16x96@1", "discrepancy-16x16x96@2",
                "resize-64x64x96-16x16@1", "resize-64x64x96-16x16@2", "resize-16x16x192-32x32@1",
                "resize-16x16x192-32x32@2", "resize-64x64x56-128x128@1", "resize-64x64x56-128x128@2",
                "resize-64x64x1-256x256@1", "resize-64x64x1-256x256@2", "blur-256x256@1", "blur-256x256@2",
                "topk-256x256", "channelmean-64x64x24", "fuse-16x16x96-x4", "fuse-64x64x24-x1",
                "depthtospace-16x16x128", "copy-32x32x64-into-96", "sigmoid-256x256", "relu-256x256"})
        public String op;

        Runnable run;

        @Setup
        public void setup() {
            String[] parts = op.split("@");
            int threads = parts.length > 1 ? Integer.parseInt(parts[1]) : 1;
            SplittableRandom random = new SplittableRandom(1);
            run = switch (parts[0]) {
                case "discrepancy-64x64x24" -> discrepancy(random, 64, 24, threads);
                case "discrepancy-32x32x32" -> discrepancy(random, 32, 32, threads);
                case "discrepancy-16x16x96" -> discrepancy(random, 16, 96, threads);
                case "resize-64x64x96-16x16" -> resize(random, 64, 96, 16, threads);
                case "resize-16x16x192-32x32" -> resize(random, 16, 192, 32, threads);
                case "resize-64x64x56-128x128" -> resize(random, 64, 56, 128, threads);
                case "resize-64x64x1-256x256" -> resize(random, 64, 1, 256, threads);
                case "blur-256x256" -> {
                    float[] plane = OpsTest.uniform(random, 256 * 256, 0, 3);
                    float[] out = new float[plane.length];
                    yield () -> Ops.gaussianBlur(plane, 256, 256, 4, out, threads);
                }
                case "topk-256x256" -> {
                    float[] plane = OpsTest.uniform(random, 256 * 256, 0, 3);
                    yield () -> Ops.topKMean(plane, plane.length, 50);
                }
                case "channelmean-64x64x24" -> {
                    float[] hwc = OpsTest.uniform(random, 64 * 64 * 24, 0, 3);
                    float[] plane = new float[64 * 64];
                    yield () -> Ops.channelMean(hwc, 64, 64, 24, plane);
                }
                case "fuse-16x16x96-x4" -> {
                    float[] src = OpsTest.uniform(random, 16 * 16 * 96, 0, 3);
                    float[] dst = new float[64 * 64 * 96];
                    yield () -> Ops.fuseNearest(src, 16, 16, 96, 4, dst, 96, true);
                }
                case "fuse-64x64x24-x1" -> {
                    float[] src = OpsTest.uniform(random, 64 * 64 * 24, 0, 3);
                    float[] dst = new float[64 * 64 * 96];
                    yield () -> Ops.fuseNearest(src, 64, 64, 24, 1, dst, 96, false);
                }
                case "depthtospace-16x16x128" -> {
                    float[] src = OpsTest.uniform(random, 16 * 16 * 128, 0, 3);
                    float[] dst = new float[src.length];
                    yield () -> Ops.depthToSpace(src, 16, 16, 128, dst);
                }
                case "copy-32x32x64-into-96" -> {
                    float[] src = OpsTest.uniform(random, 32 * 32 * 64, 0, 3);
                    float[] dst = new float[32 * 32 * 96];
                    yield () -> Ops.copyChannels(src, 32 * 32, 64, dst, 96, 32);
                }
                case "sigmoid-256x256" -> {
                    float[] x = OpsTest.gaussian(random, 256 * 256, 3);
                    yield () -> Ops.sigmoid(x, x.length);
                }
                case "relu-256x256" -> {
                    float[] x = OpsTest.gaussian(random, 256 * 256, 3);
                    yield () -> Ops.relu(x, x.length);
                }
                default -> throw new IllegalArgumentException(op);
            };
            System.out.println(op + " on " + Ops.isa().key());
        }

        private static Runnable discrepancy(SplittableRandom random, int side, int c, int threads) {
            float[] s = OpsTest.gaussian(random, side * side * c, 1.5);
            float[] t = OpsTest.gaussian(random, side * side * c, 1.5);
            float[] out = new float[s.length];
            return () -> Ops.discrepancy(s, t, side, side, c, Scaling.MIN_MAX, out, threads);
        }

        private static Runnable resize(SplittableRandom random, int side, int c, int to, int threads) {
            float[] src = OpsTest.gaussian(random, side * side * c, 1);
            float[] dst = new float[to * to * c];
            return () -> Ops.resizeBilinear(src, side, side, c, to, to, dst, c, 0, threads);
        }
    }

    @State(Scope.Benchmark)
    public static class Reference {
        @Param({"discrepancy-64x64x24", "discrepancy-32x32x32", "discrepancy-16x16x96", "resize-64x64x96-16x16",
                "resize-16x16x192-32x32", "resize-64x64x56-128x128", "resize-64x64x1-256x256", "blur-256x256",
                "topk-256x256", "channelmean-64x64x24"})
        public String op;

        /** returns its result, which JMH consumes, so the JIT cannot drop the work */
        Supplier<Object> run;
        private NDManager manager;

        @Setup
        public void setup() {
            SplittableRandom random = new SplittableRandom(1);
            run = switch (op) {
                case "discrepancy-64x64x24" -> discrepancy(random, 64, 24);
                case "discrepancy-32x32x32" -> discrepancy(random, 32, 32);
                case "discrepancy-16x16x96" -> discrepancy(random, 16, 96);
                case "resize-64x64x96-16x16" -> djlResize(random, 64, 96, 16);
                case "resize-16x16x192-32x32" -> djlResize(random, 16, 192, 32);
                case "resize-64x64x56-128x128" -> djlResize(random, 64, 56, 128);
                case "resize-64x64x1-256x256" -> {
                    float[] plane = OpsTest.gaussian(random, 64 * 64, 1);
                    yield () -> Maps.resize(plane, 64, 64, 256, 256);
                }
                case "blur-256x256" -> {
                    float[] plane = OpsTest.uniform(random, 256 * 256, 0, 3);
                    yield () -> Maps.gaussianBlur(plane, 256, 256, 4);
                }
                case "topk-256x256" -> {
                    float[] plane = OpsTest.uniform(random, 256 * 256, 0, 3);
                    yield () -> Maps.topKMean(plane, 50);
                }
                case "channelmean-64x64x24" -> {
                    FeatureMap map = new FeatureMap(24, 64, 64, OpsTest.uniform(random, 64 * 64 * 24, 0, 3));
                    yield () -> Discrepancy.channelMean(map);
                }
                default -> throw new IllegalArgumentException(op);
            };
        }

        private static Supplier<Object> discrepancy(SplittableRandom random, int side, int c) {
            FeatureMap s = new FeatureMap(c, side, side, OpsTest.gaussian(random, side * side * c, 1.5));
            FeatureMap t = new FeatureMap(c, side, side, OpsTest.gaussian(random, side * side * c, 1.5));
            Discrepancy d = new Discrepancy(Normalisation.MIN_MAX);
            return () -> d.map(s, t);
        }

        /** What DafNetwork.resize runs: DJL's interpolation, bilinear, align_corners false; result freed per call. */
        private Supplier<Object> djlResize(SplittableRandom random, int side, int c, int to) {
            Djl.useThreads(1);
            manager = Djl.newManager();
            NDArray x = manager.create(OpsTest.gaussian(random, side * side * c, 1), new Shape(1, c, side, side));
            return () -> {
                try (NDArray y = x.getNDArrayInternal().interpolation(new long[] {to, to}, 1, false)) {
                    return y.getShape();
                }
            };
        }

        @TearDown
        public void tearDown() {
            if (manager != null) {
                manager.close();
            }
        }
    }

    @Benchmark
    public void kernels(Kernels k) {
        k.run.run();
    }

    @Benchmark
    public Object reference(Reference r) {
        return r.run.get();
    }
}
