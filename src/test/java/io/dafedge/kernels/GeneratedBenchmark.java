package io.dafedge.kernels;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Generated kernels ({@link GeneratedKernels}) against the generic sparse kernel on the pruned student's pointwise
 * shapes (MobileNetV2's at a 256 x 256 input, a third of the 32 x 1 row blocks kept, as
 * {@link KernelGeneratorTest#rowBlocks} prunes), each convolution alone and two fused blocks with generated expansion
 * and projection. Same process, same weights: two convolutions per layer, one attached to the generated code. As
 * {@link QuantBenchmark}: the variants take turns in rounds of about 2 ms batches (order alternating), and it prints
 * per case the median and p10 - p90 of the per-call times and the median over rounds of generic / generated measured
 * within the round.
 * <p>
 * Run: {@code ./mvnw -B -o -Pbench test-compile exec:exec -Dexec.args="-cp %classpath
 * io.dafedge.kernels.GeneratedBenchmark [rounds] [threads...]"} (defaults 41 rounds, 1 and 2 threads).
 */
public final class GeneratedBenchmark {
    /** A pointwise layer, or a fused block in -> mid -> out (depthwise 3x3, stride 1, padding 1) when mid > 0. */
    record Shape(int in, int mid, int out, int size) {
        @Override
        public String toString() {
            return (mid == 0 ? "1x1 " + in + "->" + out : "block " + in + "->" + mid + "->" + out + " s1")
                    + " @" + size + "x" + size;
        }
    }

    static final List<Shape> SHAPES = List.of(new Shape(24, 0, 144, 64), new Shape(144, 0, 24, 64),
            new Shape(32, 0, 192, 32), new Shape(192, 0, 32, 32), new Shape(64, 0, 384, 16),
            new Shape(384, 0, 64, 16), new Shape(24, 144, 24, 64), new Shape(32, 192, 32, 32));

    private interface Call {
        void run(int threads);
    }

    private GeneratedBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 41;
        int[] threadCounts = args.length > 1
                ? Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray() : new int[] {1, 2};
        Isa isa = Isa.selected();
        List<AutoCloseable> open = new ArrayList<>();
        List<Conv2d> toGenerate = new ArrayList<>();
        List<Call[]> calls = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(3);
        for (Shape s : SHAPES) {
            calls.add(prepare(s, isa, random, open, toGenerate));
        }
        Path cache = Files.createTempDirectory("dkg-bench");
        long t0 = System.nanoTime();
        try (GeneratedKernels generated = GeneratedKernels.attach(toGenerate, cache)) {
            System.out.printf(Locale.ROOT, "%s, %s: %s in %.1f s; %d rounds%n", isa.key(),
                    GeneratedKernels.flags(isa), generated, (System.nanoTime() - t0) / 1e9, rounds);
            for (int threads : threadCounts) {
                System.out.printf(Locale.ROOT, "%n%d thread(s)%n", threads);
                System.out.println("| case | generic us [p10-p90] | generated us [p10-p90] | generic / generated "
                        + "(per round, median [p10-p90]) |");
                System.out.println("|---|---|---|---|");
                for (int i = 0; i < SHAPES.size(); i++) {
                    bench(SHAPES.get(i), calls.get(i), threads, rounds);
                }
            }
        } finally {
            for (AutoCloseable c : open) {
                c.close();
            }
            try (var files = Files.list(cache)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(cache);
        }
    }

    /** The generic and the generated variant of a case; the convolutions to generate code for go to the list. */
    private static Call[] prepare(Shape s, Isa isa, SplittableRandom random, List<AutoCloseable> open,
                                  List<Conv2d> toGenerate) {
        int pixels = s.size() * s.size();
        float[] x = Conv2dTest.uniform(random, pixels * s.in(), 2);
        if (s.mid() == 0) {
            float[] w = KernelGeneratorTest.rowBlocks(gaussian(random, s.in() * s.out(), s.in()), s.out(), s.in());
            float[] b = Conv2dTest.uniform(random, s.out(), 0.5);
            Conv2d generic = conv(s.in(), s.out(), w, b, isa, open);
            Conv2d generated = conv(s.in(), s.out(), w, b, isa, open);
            toGenerate.add(generated);
            float[] out = new float[pixels * s.out()];
            return new Call[] {
                t -> generic.run(x, s.size(), s.size(), null, out, t),
                t -> generated.run(x, s.size(), s.size(), null, out, t)};
        }
        float[] we = KernelGeneratorTest.rowBlocks(gaussian(random, s.in() * s.mid(), s.in()), s.mid(), s.in());
        float[] be = Conv2dTest.uniform(random, s.mid(), 0.5);
        float[] wd = Conv2dTest.uniform(random, s.mid() * 9, 0.3);
        float[] bd = Conv2dTest.uniform(random, s.mid(), 0.1);
        float[] wp = KernelGeneratorTest.rowBlocks(gaussian(random, s.mid() * s.out(), s.mid()), s.out(), s.mid());
        float[] bp = Conv2dTest.uniform(random, s.out(), 0.5);
        ConvShape dw = new ConvShape(s.mid(), s.mid(), 3, 3, 1, 1, 1, 1, 1, 1, s.mid(), Activation.NONE);
        ConvChain[] chains = new ConvChain[2];
        for (int v = 0; v < 2; v++) {
            Conv2d e = conv(s.in(), s.mid(), we, be, isa, open);
            Conv2d d = Conv2d.create(dw, wd, bd, isa, 2, Packing.DENSE, new Epilogue(0, 6, 0, 6));
            open.add(d);
            Conv2d p = conv(s.mid(), s.out(), wp, bp, isa, open);
            chains[v] = ConvChain.of(e, d, p);
            if (v == 1) {
                toGenerate.add(e);
                toGenerate.add(p);
            }
        }
        float[] res = s.in() == s.out() ? Conv2dTest.uniform(random, pixels * s.out(), 1) : null;
        float[] out = new float[pixels * s.out()];
        return new Call[] {
            t -> chains[0].run(x, s.size(), s.size(), res, out, t),
            t -> chains[1].run(x, s.size(), s.size(), res, out, t)};
    }

    private static Conv2d conv(int in, int out, float[] w, float[] b, Isa isa, List<AutoCloseable> open) {
        Conv2d c = Conv2d.create(ConvShape.of(in, out, 1), w, b, isa, 2, Packing.SPARSE,
                new Epilogue(0, 6, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY));
        open.add(c);
        return c;
    }

    private static float[] gaussian(SplittableRandom random, int n, int fanIn) {
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = (float) (random.nextGaussian() * Math.sqrt(2.0 / fanIn));
        }
        return w;
    }

    private static void bench(Shape s, Call[] calls, int threads, int rounds) {
        long t0 = System.nanoTime();
        int warm = 0;
        while (System.nanoTime() - t0 < 300_000_000L) {
            for (Call c : calls) {
                c.run(threads);
            }
            warm++;
        }
        double msPerPair = (System.nanoTime() - t0) / 1e6 / warm;
        int batch = (int) Math.max(1, Math.round(2.0 / (msPerPair / 2)));
        double[][] us = new double[2][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < 2; k++) {
                int v = (r + k) % 2;
                long start = System.nanoTime();
                for (int b = 0; b < batch; b++) {
                    calls[v].run(threads);
                }
                us[v][r] = (System.nanoTime() - start) / 1e3 / batch;
            }
        }
        double[] ratio = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            ratio[r] = us[0][r] / us[1][r];
        }
        System.out.printf(Locale.ROOT, "| %s | %s | %s | %.2f [%.2f-%.2f] |%n", s, spread(us[0]), spread(us[1]),
                QuantBenchmark.quantile(ratio, 0.5), QuantBenchmark.quantile(ratio, 0.1),
                QuantBenchmark.quantile(ratio, 0.9));
    }

    private static String spread(double[] v) {
        return String.format(Locale.ROOT, "%.1f [%.1f-%.1f]", QuantBenchmark.quantile(v, 0.5),
                QuantBenchmark.quantile(v, 0.1), QuantBenchmark.quantile(v, 0.9));
    }
}
