package io.dafedge.kernels;

import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * An INT8 pointwise (1x1, stride 1, unpadded) convolution on the native kernels, batch 1, HWC: uint8 activations
 * ({@link Quantisation}: one scale and zero point per tensor) times int8 weights ({@link QuantisedWeights}: symmetric,
 * one scale per output channel), summed exactly in int32 (with the zero point's compensation), then a fused
 * epilogue per output value {@code o}:
 * <pre>
 *   acc = sum_i (a_i - inputZero) * w[o][i]                                   (exact)
 *   y   = min(max(fma((float) acc, inputScale * weightScale[o], bias[o]), lo), hi)
 * </pre>
 * and for uint8 output, in one step from the sum, with {@code inv = 1 / outputScale} and every float operation
 * rounded on its own: {@code q = rint(min(max(fma((float) acc, scale[o] * inv, bias[o] * inv + outputZero),
 * max(lo * inv + outputZero, 0)), min(hi * inv + outputZero, 255)))}, where {@code scale[o] = inputScale *
 * weightScale[o]}: the float output's clamp moved to the uint8 grid (within a step of rounding the float output).
 * written as float ({@link #run(byte[], int, int, float[])}), requantised to uint8 for the next layer
 * ({@link #run(byte[], int, int, byte[])}) or as the raw sums ({@link #runAccumulators}). On AVX-512 VNNI the
 * sums are {@code vpdpbusd} (64 multiply-adds per instruction); the portable path computes the same integers and
 * the same float epilogue (an explicit fused multiply-add, round to nearest even), so both give the same bits.
 * Byte arrays hold unsigned activations ({@code (byte) 200} is 200).
 * <p>
 * Thread-safe like {@link Conv2d}; the packed weights live outside the heap until {@link #close()}.
 */
public final class QuantConv1x1 implements AutoCloseable {
    private static final int OUT_INT32 = 0;
    private static final int OUT_FLOAT = 1;
    private static final int OUT_UINT8 = 2;
    /** A sum must fit int32: inChannels x 255 x 128 < 2^31. */
    public static final int MAX_IN_CHANNELS = 65_000;

    /** The kernel paths, in the library's order. */
    public enum Path {
        /** Plain C on the baseline x86-64. */
        PORTABLE,
        /** AVX-512 with VNNI ({@code vpdpbusd}), BW and VL. */
        AVX512_VNNI;

        /** The ones this CPU (and OS) can run. */
        public static Set<Path> supported() {
            NativeKernels.require();
            int bits = nSupportedPaths();
            Set<Path> paths = EnumSet.noneOf(Path.class);
            for (Path p : values()) {
                if ((bits & (1 << p.ordinal())) != 0) {
                    paths.add(p);
                }
            }
            return paths;
        }

        /**
         * VNNI when the CPU has it and {@value Isa#ENV} does not ask for a narrower ISA than AVX-512 (so forcing
         * {@code portable} forces it here too), else portable.
         */
        public static Path selected() {
            return Isa.selected() == Isa.AVX512 && supported().contains(AVX512_VNNI) ? AVX512_VNNI : PORTABLE;
        }

        /**
         * The path networks run their INT8 blocks on, or null to keep them float: {@link #AVX512_VNNI} when
         * {@link #selected()} gives it, unless {@value #INT8_ENV} is {@code off}. Never the portable path, which is
         * slower than the float kernels.
         *
         * @throws IllegalStateException when {@value #INT8_ENV} is neither {@code on} nor {@code off}
         */
        public static Path forNetworks() {
            return forNetworks(System.getenv(INT8_ENV));
        }

        static Path forNetworks(String setting) {
            return Isa.onOff(INT8_ENV, setting, true) && selected() == AVX512_VNNI ? AVX512_VNNI : null;
        }
    }

    /** Environment variable: {@code off} keeps every network in float ({@link Path#forNetworks()}). */
    public static final String INT8_ENV = "DAF_KERNELS_INT8";

    /** An affine uint8 quantisation: {@code real = scale * (q - zeroPoint)}, q in [0, 255]. */
    public record Quantisation(float scale, int zeroPoint) {
        public Quantisation {
            if (!(scale > 0) || Float.isInfinite(scale)) {
                throw new IllegalArgumentException("scale must be positive and finite, got " + scale);
            }
            if (zeroPoint < 0 || zeroPoint > 255) {
                throw new IllegalArgumentException("zero point must be in [0, 255], got " + zeroPoint);
            }
        }

        /** 256 levels over [lo, hi], which must contain 0 (so that 0 is exact: ReLU's zeros, padding). */
        public static Quantisation forRange(float lo, float hi) {
            if (!(lo <= 0 && hi >= 0 && hi > lo) || Float.isInfinite(lo) || Float.isInfinite(hi)) {
                throw new IllegalArgumentException("range must be finite and contain 0 with lo < hi, got [" + lo
                        + ", " + hi + "]");
            }
            float scale = (hi - lo) / 255f;
            return new Quantisation(scale, (int) Math.max(0, Math.min(255, Math.rint(-lo / scale))));
        }

        /** {@code 1 / scale} in float: quantising multiplies by it. */
        public float inverseScale() {
            return 1f / scale;
        }

        /**
         * {@code rint(min(max(fma(x, 1 / scale, zeroPoint), 0), 255))} of every value (NaN to 0), into {@code out}:
         * what the native code computes where a {@link QuantChain} quantises, to the bit.
         */
        public void quantise(float[] x, byte[] out) {
            if (x == null || out == null || x.length != out.length) {
                throw new IllegalArgumentException("quantise: arrays must be non-null and of equal length");
            }
            float inv = inverseScale();
            float zero = zeroPoint;
            for (int i = 0; i < x.length; i++) {
                float t = Math.fma(x[i], inv, zero);
                t = t > 0 ? t : 0; // NaN: 0
                out[i] = (byte) (int) Math.rint(t < 255 ? t : 255);
            }
        }

        public float dequantise(byte q) {
            return scale * (Byte.toUnsignedInt(q) - zeroPoint);
        }
    }

    /**
     * Weights quantised symmetrically per output channel: {@code weight[o][i] ~ scales[o] * values[o * in + i]},
     * values in [-127, 127] (OI layout, the 1x1 kernel's OIHW).
     */
    public record QuantisedWeights(int outChannels, int inChannels, byte[] values, float[] scales) {
        public QuantisedWeights {
            if (outChannels < 1 || inChannels < 1 || inChannels > MAX_IN_CHANNELS) {
                throw new IllegalArgumentException("channels must be >= 1 (inputs at most " + MAX_IN_CHANNELS
                        + "), got " + inChannels + " -> " + outChannels);
            }
            if (values == null || values.length != (long) outChannels * inChannels) {
                throw new IllegalArgumentException("values: expected " + outChannels + " x " + inChannels + " = "
                        + (long) outChannels * inChannels + ", got " + (values == null ? "null" : values.length));
            }
            if (scales == null || scales.length != outChannels) {
                throw new IllegalArgumentException("scales: expected " + outChannels + ", got "
                        + (scales == null ? "null" : scales.length));
            }
            for (float s : scales) {
                if (!(s > 0) || Float.isInfinite(s)) {
                    throw new IllegalArgumentException("weight scales must be positive and finite, got " + s);
                }
            }
        }

        /** Scale per channel max |w| / 127 (1 for an all-zero channel), values rint(w / scale). */
        public static QuantisedWeights symmetric(float[] weights, int outChannels, int inChannels) {
            if (weights == null || weights.length != (long) outChannels * inChannels) {
                throw new IllegalArgumentException("weights: expected " + outChannels + " x " + inChannels
                        + " values (OI), got " + (weights == null ? "null" : weights.length));
            }
            byte[] q = new byte[weights.length];
            float[] scales = new float[outChannels];
            for (int o = 0; o < outChannels; o++) {
                float max = 0;
                for (int i = 0; i < inChannels; i++) {
                    float w = weights[o * inChannels + i];
                    if (!Float.isFinite(w)) {
                        throw new IllegalArgumentException("weight " + o + "," + i + " is " + w);
                    }
                    max = Math.max(max, Math.abs(w));
                }
                scales[o] = max == 0 ? 1f : max / 127f;
                for (int i = 0; i < inChannels; i++) {
                    double v = Math.rint(weights[o * inChannels + i] / scales[o]);
                    q[o * inChannels + i] = (byte) Math.max(-127, Math.min(127, v));
                }
            }
            return new QuantisedWeights(outChannels, inChannels, q, scales);
        }

        public float dequantise(int o, int i) {
            return scales[o] * values[o * inChannels + i];
        }
    }

    private final int inChannels;
    private final int outChannels;
    private final Path path;
    private final int threads;
    private final Quantisation input;
    private final Quantisation output;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private long handle;

    private QuantConv1x1(int inChannels, int outChannels, Path path, int threads, Quantisation input,
                         Quantisation output, long handle) {
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.path = path;
        this.threads = threads;
        this.input = input;
        this.output = output;
        this.handle = handle;
    }

    /**
     * @param bias   per output channel, or null
     * @param input  the activations' quantisation
     * @param lo     the clamp's lower bound (0 for ReLU and ReLU6, -infinity for none)
     * @param hi     its upper bound (6 for ReLU6)
     * @param output the uint8 output's quantisation, or null when only float and int32 output are wanted
     */
    public static QuantConv1x1 create(QuantisedWeights weights, float[] bias, Quantisation input, float lo, float hi,
                                      Quantisation output, Path path, int threads) {
        if (Float.isNaN(lo) || Float.isNaN(hi) || lo > hi) {
            throw new IllegalArgumentException("clamp bounds must be numbers with lo <= hi: [" + lo + ", " + hi + "]");
        }
        return create(weights, bias, input, new Epilogue(lo, hi, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY),
                output, path, threads);
    }

    /**
     * With the float kernels' general epilogue: float output {@code min(max(min(max(y, lo), hi) + residual,
     * residualLo), residualHi)}, {@code y} the dequantised sum plus bias ({@link #run(byte[], int, int, float[],
     * float[])}); the uint8 output takes only the first clamp.
     */
    public static QuantConv1x1 create(QuantisedWeights weights, float[] bias, Quantisation input, Epilogue epilogue,
                                      Quantisation output, Path path, int threads) {
        NativeKernels.require();
        if (weights == null || input == null || epilogue == null) {
            throw new IllegalArgumentException("weights, input quantisation and epilogue must not be null");
        }
        if (bias != null && bias.length != weights.outChannels()) {
            throw new IllegalArgumentException("bias: expected " + weights.outChannels() + " values, got "
                    + bias.length);
        }
        Conv2d.checkThreads(threads);
        if (path == null || !Path.supported().contains(path)) {
            throw new IllegalArgumentException("path " + path + " is not supported by this CPU");
        }
        float[] scale = new float[weights.outChannels()];
        for (int o = 0; o < scale.length; o++) {
            scale[o] = input.scale() * weights.scales()[o];
        }
        long h = nCreate(path.ordinal(), weights.inChannels(), weights.outChannels(), weights.values(), scale, bias,
                input.inverseScale(), input.zeroPoint(), epilogue.lo(), epilogue.hi(), epilogue.residualLo(),
                epilogue.residualHi(), output == null ? 1f : output.inverseScale(),
                output == null ? 0 : output.zeroPoint());
        if (h == 0) {
            throw new OutOfMemoryError("no native memory for the packed weights of " + weights.inChannels() + " -> "
                    + weights.outChannels());
        }
        return new QuantConv1x1(weights.inChannels(), weights.outChannels(), path, threads, input, output, h);
    }

    /** The activations' quantisation: what a {@link QuantChain} quantises this convolution's float input with. */
    public Quantisation input() {
        return input;
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    public Path path() {
        return path;
    }

    public int threads() {
        return threads;
    }

    /** Multiply-accumulates of one call on a {@code height x width} input. */
    public long macs(int height, int width) {
        return (long) height * width * inChannels * outChannels;
    }

    /** The exact int32 sums {@code sum_i (a_i - inputZero) * w[o][i]}, before the epilogue. */
    public void runAccumulators(byte[] input, int height, int width, int[] out) {
        call(input, height, width, null, OUT_INT32, out, out == null ? -1 : out.length);
    }

    /** Dequantised, bias added, clamped. */
    public void run(byte[] input, int height, int width, float[] out) {
        run(input, height, width, null, out);
    }

    /** Dequantised, bias added, clamped, {@code residual} (like {@code out}, or null) added and clamped again. */
    public void run(byte[] input, int height, int width, float[] residual, float[] out) {
        if (residual != null && out != null && residual.length != out.length) {
            throw new IllegalArgumentException("residual: expected " + out.length + " values, got "
                    + residual.length);
        }
        call(input, height, width, residual, OUT_FLOAT, out, out == null ? -1 : out.length);
    }

    /** As the float output, requantised to uint8 with the output quantisation given at creation. */
    public void run(byte[] input, int height, int width, byte[] out) {
        if (output == null) {
            throw new IllegalStateException("created without an output quantisation: no uint8 output");
        }
        if (out == input) {
            throw new IllegalArgumentException("output must not be the input array");
        }
        call(input, height, width, null, OUT_UINT8, out, out == null ? -1 : out.length);
    }

    private void call(byte[] input, int height, int width, float[] residual, int kind, Object out, int outLength) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("height and width must be >= 1, got " + height + " x " + width);
        }
        long pixels = (long) height * width;
        if (input == null || input.length != pixels * inChannels) {
            throw new IllegalArgumentException("input: expected " + height + " x " + width + " x " + inChannels
                    + " = " + pixels * inChannels + " bytes (HWC), got " + (input == null ? "null" : input.length));
        }
        if (outLength != pixels * outChannels) {
            throw new IllegalArgumentException("output: expected " + pixels * outChannels + " values, got "
                    + (out == null ? "null" : outLength));
        }
        long h = acquire();
        try {
            int status = nRun(h, input, (int) pixels, residual, kind, out, threads);
            if (status != 0) {
                throw new IllegalStateException("native INT8 convolution failed with status " + status);
            }
        } finally {
            release();
        }
    }

    /** The native handle, valid until {@link #release()}, as {@link Conv2d#acquire()}: for {@link QuantChain}. */
    long acquire() {
        lock.readLock().lock();
        if (handle == 0) {
            lock.readLock().unlock();
            throw new IllegalStateException("INT8 convolution " + this + " is closed");
        }
        return handle;
    }

    void release() {
        lock.readLock().unlock();
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (handle != 0) {
                nFree(handle);
                handle = 0;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "QuantConv1x1[" + inChannels + " -> " + outChannels + "] on " + path + ", " + threads + " threads";
    }

    /** GOP/s of vpdpbusd chains in registers (a multiply and an add per product), for {@link Peak#int8Gops}. */
    static double peakGops(int threads) {
        return nPeakGops(threads);
    }

    private static native int nSupportedPaths();

    private static native long nCreate(int path, int inChannels, int outChannels, byte[] weights, float[] scale,
                                       float[] bias, float inInvScale, int inputZero, float lo, float hi,
                                       float residualLo, float residualHi, float outInvScale, int outZero);

    private static native void nFree(long handle);

    /** 0, -1 when a length does not fit, -2 when the JVM could not pin an array. */
    private static native int nRun(long handle, byte[] input, int pixels, float[] residual, int kind, Object out,
                                   int threads);

    private static native double nPeakGops(int threads);
}
