package io.dafedge.kernels;

/**
 * The operators of DAF's inference graph other than the convolutions, on the native kernels: HWC float arrays
 * (batch 1, channels innermost; single-channel maps row-major), results into arrays the caller provides, so that a
 * call allocates nothing on the Java heap. Each method checks its arguments first and throws
 * {@link IllegalArgumentException} naming what is wrong before anything reaches C; an array whose size is given by
 * the shape must have exactly that length, and an output must not be an input. The first use throws
 * {@link KernelsUnavailableException} when the library cannot be loaded.
 * <p>
 * Methods with a {@code threads} argument (1 to {@value #MAX_THREADS}, the caller's included) split their work
 * into bands of rows on the library's worker threads; the others are memory-bound and run on the caller's thread.
 * Results do not depend on the thread count. The vectorised ones (discrepancy, bilinear resize, blur, sigmoid) use
 * the ISA of {@link Isa#selected()}, or the one an overload is given (the tests force each in turn). Thread-safe;
 * calls with more than one thread take turns on the worker threads. See docs/kernels.md, "Other operators".
 */
public final class Ops {
    public static final int MAX_THREADS = 64;
    /** The largest sigma of {@link #gaussianBlur}: a kernel of at most 2049 taps. */
    public static final double MAX_SIGMA = 256;
    /** SSIM's reflect padding; the discrepancy needs maps larger than it on both axes. */
    public static final int SSIM_PAD = 5;

    private static volatile Isa selected;

    private Ops() {
    }

    /**
     * DAF's teacher-student discrepancy, as {@code io.dafedge.model.daf.Discrepancy.map} but on HWC arrays: per pixel
     * and channel {@code D = (1 - SSIM(n(S), n(T))) + (1 - cos_c(S, T))}. {@code n()} scales each channel of each map
     * by its extremes over the map ({@link Scaling}); SSIM uses an 11-tap Gaussian window (sigma 1.5) applied
     * separably as a valid convolution to the maps reflect-padded by 5 (PyTorch's 'reflect', edge not repeated),
     * C1 = 1e-4, C2 = 9e-4; the cosine is over channels of the unscaled maps, with PyTorch's guard
     * ({@code st / sqrt(max(ss tt, 1e-16))}). Computed in float.
     *
     * @param student {@code h x w x c}
     * @param teacher {@code h x w x c}
     * @param h       more than {@value #SSIM_PAD}
     * @param w       more than {@value #SSIM_PAD}
     * @param out     {@code h x w x c}, neither input
     */
    public static void discrepancy(float[] student, float[] teacher, int h, int w, int c, Scaling scaling,
                                   float[] out, int threads) {
        discrepancy(student, teacher, h, w, c, scaling, out, threads, isa());
    }

    /** As {@link #discrepancy(float[], float[], int, int, int, Scaling, float[], int)} on a given ISA. */
    public static void discrepancy(float[] student, float[] teacher, int h, int w, int c, Scaling scaling,
                                   float[] out, int threads, Isa isa) {
        NativeKernels.require();
        if (h <= SSIM_PAD || w <= SSIM_PAD) {
            throw new IllegalArgumentException("a " + h + " x " + w + " map is too small to reflect-pad by " + SSIM_PAD
                    + ": height and width must be at least " + (SSIM_PAD + 1));
        }
        positive("channels", c);
        long n = (long) h * w * c;
        String shape = h + " x " + w + " x " + c;
        length("student", student, n, shape);
        length("teacher", teacher, n, shape);
        length("out", out, n, shape);
        distinct("out", out, "student", student);
        distinct("out", out, "teacher", teacher);
        if (scaling == null) {
            throw new IllegalArgumentException("scaling must not be null");
        }
        threads(threads);
        supported(isa);
        check(nDiscrepancy(isa.ordinal(), student, teacher, h, w, c, scaling.code(), out, threads), "discrepancy");
    }

    /** The mean over channels at every pixel, in double as {@code Discrepancy.channelMean}: {@code plane} is h x w. */
    public static void channelMean(float[] hwc, int h, int w, int c, float[] plane) {
        NativeKernels.require();
        positive("height", h);
        positive("width", w);
        positive("channels", c);
        length("hwc", hwc, (long) h * w * c, h + " x " + w + " x " + c);
        length("plane", plane, (long) h * w, h + " x " + w);
        distinct("plane", plane, "hwc", hwc);
        check(nChannelMean(hwc, h * w, c, plane), "channelMean");
    }

    /**
     * DAF's fusion of a discrepancy level: nearest upsampling by {@code factor} (PyTorch's, source
     * {@code floor(y / factor)}) and the channels tiled to {@code dstChannels} (cut where they do not divide):
     * {@code dst[y][x][k] = src[y / factor][x / factor][k % c]}, or {@code +=} that when {@code accumulate}.
     *
     * @param dst {@code (h factor) x (w factor) x dstChannels}
     */
    public static void fuseNearest(float[] src, int h, int w, int c, int factor, float[] dst, int dstChannels,
                                   boolean accumulate) {
        NativeKernels.require();
        positive("height", h);
        positive("width", w);
        positive("channels", c);
        positive("factor", factor);
        positive("dstChannels", dstChannels);
        length("src", src, (long) h * w * c, h + " x " + w + " x " + c);
        long oh = (long) h * factor;
        long ow = (long) w * factor;
        length("dst", dst, oh * ow * dstChannels, oh + " x " + ow + " x " + dstChannels);
        distinct("dst", dst, "src", src);
        check(nFuseNearest(src, h, w, c, factor, dst, dstChannels, accumulate), "fuseNearest");
    }

    /**
     * PyTorch's bilinear interpolation with {@code align_corners=false} as DJL runs it, per axis: an axis that
     * grows takes half-pixel centres with the source clamped to the edge ({@code io.dafedge.model.Maps.resize});
     * one that shrinks is antialiased, a triangle filter stretched by {@code in / out}, cut at the edges and
     * normalised ({@code DafNetwork.antialiasWeights}); one that keeps its size is copied. Writes channels
     * {@code [dstOffset, dstOffset + c)} of {@code dst} and leaves the others alone, so a resize can land straight
     * in a concatenation.
     *
     * @param dst {@code outH x outW x dstChannels}
     */
    public static void resizeBilinear(float[] src, int h, int w, int c, int outH, int outW, float[] dst,
                                      int dstChannels, int dstOffset, int threads) {
        resizeBilinear(src, h, w, c, outH, outW, dst, dstChannels, dstOffset, threads, isa());
    }

    /** As {@link #resizeBilinear(float[], int, int, int, int, int, float[], int, int, int)} on a given ISA. */
    public static void resizeBilinear(float[] src, int h, int w, int c, int outH, int outW, float[] dst,
                                      int dstChannels, int dstOffset, int threads, Isa isa) {
        NativeKernels.require();
        positive("height", h);
        positive("width", w);
        positive("channels", c);
        positive("outH", outH);
        positive("outW", outW);
        channelRange(c, dstChannels, dstOffset);
        length("src", src, (long) h * w * c, h + " x " + w + " x " + c);
        length("dst", dst, (long) outH * outW * dstChannels, outH + " x " + outW + " x " + dstChannels);
        distinct("dst", dst, "src", src);
        threads(threads);
        supported(isa);
        check(nResizeBilinear(isa.ordinal(), src, h, w, c, outH, outW, dst, dstChannels, dstOffset, threads),
                "resizeBilinear");
    }

    /** Channel concatenation: {@code dst[p][dstOffset + k] = src[p][k]} for every pixel p and k below c. */
    public static void copyChannels(float[] src, int pixels, int c, float[] dst, int dstChannels, int dstOffset) {
        NativeKernels.require();
        positive("pixels", pixels);
        positive("channels", c);
        channelRange(c, dstChannels, dstOffset);
        length("src", src, (long) pixels * c, pixels + " pixels x " + c);
        length("dst", dst, (long) pixels * dstChannels, pixels + " pixels x " + dstChannels);
        distinct("dst", dst, "src", src);
        check(nCopyChannels(src, pixels, c, dst, dstChannels, dstOffset), "copyChannels");
    }

    /**
     * ONNX's DepthToSpace (mode CRD, block 2) on HWC, as {@code DafNetwork.depthToSpace}: input channel
     * {@code 4k + 2a + b} of pixel (i, j) becomes channel k of output pixel (2i + a, 2j + b).
     *
     * @param src {@code h x w x c4}, c4 a multiple of 4
     * @param dst {@code 2h x 2w x c4 / 4}
     */
    public static void depthToSpace(float[] src, int h, int w, int c4, float[] dst) {
        NativeKernels.require();
        positive("height", h);
        positive("width", w);
        if (c4 < 4 || c4 % 4 != 0) {
            throw new IllegalArgumentException("channels must be a positive multiple of 4, got " + c4);
        }
        long n = (long) h * w * c4;
        length("src", src, n, h + " x " + w + " x " + c4);
        length("dst", dst, n, 2L * h + " x " + 2L * w + " x " + c4 / 4);
        distinct("dst", dst, "src", src);
        check(nDepthToSpace(src, h, w, c4, dst), "depthToSpace");
    }

    /** {@code 1 / (1 + e^-x)} in place on {@code x[0, n)}; relative error about 1e-7, NaN stays NaN. */
    public static void sigmoid(float[] x, int n) {
        sigmoid(x, n, isa());
    }

    /** As {@link #sigmoid(float[], int)} on a given ISA. */
    public static void sigmoid(float[] x, int n, Isa isa) {
        NativeKernels.require();
        count("x", x, n);
        supported(isa);
        check(nSigmoid(isa.ordinal(), x, n), "sigmoid");
    }

    /** {@code max(x, 0)} in place on {@code x[0, n)}; NaN stays NaN. */
    public static void relu(float[] x, int n) {
        NativeKernels.require();
        count("x", x, n);
        check(nRelu(x, n), "relu");
    }

    /**
     * {@code io.dafedge.model.Maps.gaussianBlur} of a single-channel {@code w x h} map: the separable kernel of
     * {@code Maps.gaussianKernel(sigma)} (truncated at 4 sigma), SciPy's 'reflect' borders (edge repeated), float
     * accumulation.
     *
     * @param sigma in (0, {@value #MAX_SIGMA}]
     * @param out   {@code w x h}, not {@code plane}
     */
    public static void gaussianBlur(float[] plane, int w, int h, double sigma, float[] out, int threads) {
        gaussianBlur(plane, w, h, sigma, out, threads, isa());
    }

    /** As {@link #gaussianBlur(float[], int, int, double, float[], int)} on a given ISA. */
    public static void gaussianBlur(float[] plane, int w, int h, double sigma, float[] out, int threads,
                                    Isa isa) {
        NativeKernels.require();
        positive("width", w);
        positive("height", h);
        if (!(sigma > 0 && sigma <= MAX_SIGMA)) {
            throw new IllegalArgumentException("sigma must be in (0, " + MAX_SIGMA + "], got " + sigma);
        }
        length("plane", plane, (long) w * h, w + " x " + h);
        length("out", out, (long) w * h, w + " x " + h);
        distinct("out", out, "plane", plane);
        threads(threads);
        supported(isa);
        check(nGaussianBlur(isa.ordinal(), plane, w, h, sigma, out, threads), "gaussianBlur");
    }

    /**
     * The mean of the {@code k} largest of {@code plane[0, n)} (of all n when k exceeds n), as
     * {@code io.dafedge.model.Maps.topKMean}: a selection, not a sort; equal values count as often as they occur,
     * NaN ranks above everything, the sum is in double.
     */
    public static float topKMean(float[] plane, int n, int k) {
        NativeKernels.require();
        positive("n", n);
        count("plane", plane, n);
        positive("k", k);
        return nTopKMean(plane, n, k);
    }

    /** The ISA the vectorised operators use: {@link Isa#selected()}, asked once. */
    public static Isa isa() {
        Isa isa = selected;
        if (isa == null) {
            NativeKernels.require();
            isa = Isa.selected();
            selected = isa;
        }
        return isa;
    }

    private static void positive(String what, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, got " + value);
        }
    }

    private static void length(String what, float[] array, long expected, String shape) {
        if (array == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        if (array.length != expected) {
            throw new IllegalArgumentException(what + ": expected " + shape + " = " + expected + " values, got "
                    + array.length);
        }
    }

    private static void count(String what, float[] array, int n) {
        if (array == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        if (n < 0 || n > array.length) {
            throw new IllegalArgumentException("n must be in [0, " + array.length + "] (" + what + "'s length), got "
                    + n);
        }
    }

    private static void distinct(String out, float[] a, String in, float[] b) {
        if (a == b) {
            throw new IllegalArgumentException(out + " must not be the same array as " + in);
        }
    }

    private static void channelRange(int c, int dstChannels, int dstOffset) {
        positive("dstChannels", dstChannels);
        if (dstOffset < 0 || (long) dstOffset + c > dstChannels) {
            throw new IllegalArgumentException("channels [" + dstOffset + ", " + ((long) dstOffset + c)
                    + ") do not fit in dstChannels " + dstChannels);
        }
    }

    private static void threads(int threads) {
        Conv2d.checkThreads(threads);
    }

    private static void supported(Isa isa) {
        if (isa == null || !isa.isSupported()) {
            throw new IllegalArgumentException((isa == null ? "null" : isa.key()) + " is not supported by this CPU");
        }
    }

    private static void check(int status, String op) {
        switch (status) {
            case 0 -> {
            }
            case -3 -> throw new OutOfMemoryError("no native memory for the scratch buffers of " + op);
            case -2 -> throw new IllegalStateException(op + ": the JVM could not pin an array");
            default -> throw new IllegalStateException(op + ": the library refused the arguments (status " + status
                    + ")");
        }
    }

    private static native int nDiscrepancy(int isa, float[] s, float[] t, int h, int w, int c, int scaling,
                                           float[] out, int threads);

    private static native int nChannelMean(float[] x, int pixels, int c, float[] plane);

    private static native int nFuseNearest(float[] src, int h, int w, int c, int factor, float[] dst, int dc,
                                           boolean accumulate);

    private static native int nResizeBilinear(int isa, float[] src, int h, int w, int c, int oh, int ow, float[] dst,
                                              int dc, int off, int threads);

    private static native int nCopyChannels(float[] src, int pixels, int c, float[] dst, int dc, int off);

    private static native int nDepthToSpace(float[] src, int h, int w, int c4, float[] dst);

    private static native int nSigmoid(int isa, float[] x, int n);

    private static native int nRelu(float[] x, int n);

    private static native int nGaussianBlur(int isa, float[] in, int w, int h, double sigma, float[] out,
                                            int threads);

    private static native float nTopKMean(float[] x, int n, int k);
}
