package io.dafedge.kernels;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import io.dafedge.kernels.QuantConv1x1.Path;
import io.dafedge.kernels.QuantConv1x1.QuantisedWeights;
import io.dafedge.kernels.QuantConv1x1.Quantisation;

/**
 * The INT8 pointwise convolution against the float {@link Conv2d} on the teacher's (MobileNetV2's) pointwise shapes,
 * bias and ReLU6 on both, same process, same weights. Not JMH: the variants must take turns so that load from
 * elsewhere on this shared machine hits them alike. Each round runs every variant for a batch of calls (about 2 ms,
 * the order rotating from round to round); a variant's time per call is its batch time over the batch size. Prints
 * per shape the median and p10 - p90 of those per-call times, the median over rounds of the float / int8 ratio
 * measured within the round, and achieved GOP/s (2 per multiply-accumulate) against the measured peaks
 * ({@link Peak#gflops}, {@link Peak#int8Gops}); then the teacher's pointwise layers summed, each shape's median
 * times how often the teacher has it (layers run alone, not in fused blocks).
 * <p>
 * Run: {@code ./mvnw -B -o -Pbench test-compile exec:exec -Dexec.args="-cp %classpath
 * io.dafedge.kernels.QuantBenchmark [rounds] [threads...]"} (defaults 41 rounds, 1 and 2 threads).
 */
public final class QuantBenchmark {
    /** count: how often the teacher (MobileNetV2 up to features[13], 256 x 256 input) has this layer. */
    record Shape(int in, int out, int size, int count) {
        long macs() {
            return (long) size * size * in * out;
        }

        @Override
        public String toString() {
            return in + "->" + out + " @" + size + "x" + size
                    + (count == 0 ? " (not in the teacher)" : " (x" + count + ")");
        }
    }

    /** Every pointwise shape of the teacher at 256 x 256 (234.9 M of its 274.1 M MACs), and 96->24 at 128 x 128. */
    static final List<Shape> SHAPES = List.of(new Shape(32, 16, 128, 1), new Shape(16, 96, 128, 1),
            new Shape(96, 24, 128, 0), new Shape(96, 24, 64, 1), new Shape(24, 144, 64, 2), new Shape(144, 24, 64, 1),
            new Shape(144, 32, 32, 1), new Shape(32, 192, 32, 3), new Shape(192, 32, 32, 2), new Shape(192, 64, 16, 1),
            new Shape(64, 384, 16, 4), new Shape(384, 64, 16, 3), new Shape(384, 96, 16, 1), new Shape(96, 576, 16, 2),
            new Shape(576, 96, 16, 2));

    /** A variant to time: one call on prepared data. */
    private interface Call {
        void run();
    }

    private QuantBenchmark() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 41;
        int[] threadCounts = args.length > 1
                ? Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray() : new int[] {1, 2};
        Isa isa = Isa.selected();
        Path path = Path.selected();
        System.out.printf(Locale.ROOT, "float: %s, int8: %s, %d rounds%n", isa, path, rounds);
        for (int threads : threadCounts) {
            // a peak taken while another process holds a core is too low: the best of three, a second apart
            double flopPeak = 0;
            double opPeak = Double.NaN;
            for (int i = 0; i < 3; i++) {
                flopPeak = Math.max(flopPeak, Peak.gflops(isa, threads));
                if (path == Path.AVX512_VNNI) {
                    opPeak = Math.max(Double.isNaN(opPeak) ? 0 : opPeak, Peak.int8Gops(threads));
                }
                pause();
            }
            System.out.printf(Locale.ROOT, "%n%d thread(s): peaks %.0f GFLOP/s float, %.0f GOP/s int8 (vpdpbusd)%n",
                    threads, flopPeak, opPeak);
            System.out.println("| shape | MMAC | float us [p10-p90] | int8->float us [p10-p90] | int8->uint8 us "
                    + "[p10-p90] | float / int8->uint8 (per round, median [p10-p90]) | float GFLOP/s (% peak) | "
                    + "int8->uint8 GOP/s (% peak) |");
            System.out.println("|---|---|---|---|---|---|---|---|");
            double floatTeacher = 0;
            double int8Teacher = 0;
            long macsTeacher = 0;
            for (Shape s : SHAPES) {
                double[] medians = bench(s, isa, path, threads, rounds, flopPeak, opPeak);
                floatTeacher += s.count() * medians[0];
                int8Teacher += s.count() * medians[1];
                macsTeacher += s.count() * s.macs();
            }
            System.out.printf(Locale.ROOT, "the teacher's %.1f M pointwise MACs, layer by layer (sum of medians x "
                    + "count): float %.0f us, int8->uint8 %.0f us, ratio %.2f%n", macsTeacher / 1e6, floatTeacher,
                    int8Teacher, floatTeacher / int8Teacher);
        }
    }

    /** Median us per call of float and of int8->uint8. */
    private static double[] bench(Shape s, Isa isa, Path path, int threads, int rounds, double flopPeak,
                                  double opPeak) {
        SplittableRandom random = new SplittableRandom(s.in() * 1000L + s.out());
        float[] w = new float[s.in() * s.out()];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (random.nextGaussian() * Math.sqrt(2.0 / s.in()));
        }
        float[] bias = Conv2dTest.uniform(random, s.out(), 0.5);
        int pixels = s.size() * s.size();
        float[] x = new float[pixels * s.in()];
        for (int i = 0; i < x.length; i++) {
            x[i] = 6f * (float) random.nextDouble();
        }
        Quantisation relu6 = Quantisation.forRange(0f, 6f);
        byte[] xq = new byte[x.length];
        relu6.quantise(x, xq);
        float[] outF = new float[pixels * s.out()];
        float[] outQf = new float[outF.length];
        byte[] outQ = new byte[outF.length];
        Epilogue clip = new Epilogue(0f, 6f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
        try (Conv2d f = Conv2d.create(ConvShape.of(s.in(), s.out(), 1), w, bias, isa, threads, Packing.DENSE, clip);
             QuantConv1x1 q = QuantConv1x1.create(QuantisedWeights.symmetric(w, s.out(), s.in()), bias, relu6, 0f, 6f,
                     relu6, path, threads)) {
            Call[] calls = {
                () -> f.run(x, s.size(), s.size(), null, outF),
                () -> q.run(xq, s.size(), s.size(), outQf),
                () -> q.run(xq, s.size(), s.size(), outQ)};
            int n = calls.length;
            // warm-up, and a batch size of about 2 ms for the float variant
            long t0 = System.nanoTime();
            int warm = 0;
            while (System.nanoTime() - t0 < 300_000_000L) {
                for (Call c : calls) {
                    c.run();
                }
                warm++;
            }
            double msPerTriple = (System.nanoTime() - t0) / 1e6 / warm;
            int batch = (int) Math.max(1, Math.round(2.0 / (msPerTriple / 2)));
            double[][] us = new double[n][rounds];
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < n; k++) {
                    int v = (r + k) % n;
                    long start = System.nanoTime();
                    for (int b = 0; b < batch; b++) {
                        calls[v].run();
                    }
                    us[v][r] = (System.nanoTime() - start) / 1e3 / batch;
                }
            }
            double[] ratio = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                ratio[r] = us[0][r] / us[2][r];
            }
            double fMed = quantile(us[0], 0.5);
            double qMed = quantile(us[2], 0.5);
            double fGflops = 2.0 * s.macs() / (fMed * 1e3);
            double qGops = 2.0 * s.macs() / (qMed * 1e3);
            System.out.printf(Locale.ROOT,
                    "| %s | %.1f | %s | %s | %s | %.2f [%.2f-%.2f] | %.0f (%.0f %%) | %.0f (%.0f %%) |%n", s,
                    s.macs() / 1e6, spread(us[0]), spread(us[1]), spread(us[2]), quantile(ratio, 0.5),
                    quantile(ratio, 0.1), quantile(ratio, 0.9), fGflops, 100 * fGflops / flopPeak, qGops,
                    100 * qGops / opPeak);
            return new double[] {fMed, qMed};
        }
    }

    private static void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String spread(double[] v) {
        return String.format(Locale.ROOT, "%.1f [%.1f-%.1f]", quantile(v, 0.5), quantile(v, 0.1), quantile(v, 0.9));
    }

    /** Nearest rank, as the bench's figures. */
    static double quantile(double[] v, double q) {
        double[] sorted = v.clone();
        Arrays.sort(sorted);
        return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
    }
}
