package io.dafedge.kernels;

/**
 * A fused inverted-residual block like {@link ConvChain}, with its two pointwise convolutions in INT8
 * ({@link QuantConv1x1}) around the float depthwise {@link Conv2d}: float in, float out, one native call over bands
 * of rows. Per band, each input row the expansion reads is quantised with the expansion's
 * {@link QuantConv1x1#input() input quantisation}, the expansion writes float rows (its epilogue's clamp), the
 * depthwise runs on them in float, its rows are quantised with the projection's input quantisation, and the
 * projection writes float with the residual and its epilogue's clamps. So the network around it stays float (the
 * features read, the residuals), and the rounding happens only where an INT8 convolution reads.
 * <p>
 * The result equals, bit for bit, {@link QuantConv1x1.Quantisation#quantise}, the expansion's float output, the
 * depthwise and the projection run one after the other (the test checks it). Instead of the INT8 expansion the
 * chain may start with a float convolution ({@link #withFloatFirst}: MobileNetV2's first 3x3 stride-2 one).
 * <p>
 * Borrows its convolutions as {@link ConvChain} does: {@link #close()} does not close them, a closed one makes
 * {@code run} throw. Thread-safe.
 */
public final class QuantChain implements HwcOperator, AutoCloseable {
    private final QuantConv1x1 expand;
    private final Conv2d first;
    private final Conv2d depthwise;
    private final QuantConv1x1 project;
    private final int threads;
    private volatile boolean closed;

    private QuantChain(QuantConv1x1 expand, Conv2d first, Conv2d depthwise, QuantConv1x1 project, int threads) {
        this.expand = expand;
        this.first = first;
        this.depthwise = depthwise;
        this.project = project;
        this.threads = threads;
    }

    /**
     * @param expand  the 1x1 expansion, or null for none
     * @param threads threads per call, the caller's included
     * @throws IllegalArgumentException naming what does not chain
     */
    public static QuantChain of(QuantConv1x1 expand, Conv2d depthwise, QuantConv1x1 project, int threads) {
        return of(expand, null, depthwise, project, threads);
    }

    /**
     * With a float first stage instead of an INT8 expansion: any convolution that is not depthwise (MobileNetV2's
     * first 3x3 stride-2 convolution), on the depthwise's ISA, whose rows go to the depthwise in float.
     */
    public static QuantChain withFloatFirst(Conv2d first, Conv2d depthwise, QuantConv1x1 project, int threads) {
        if (first == null) {
            throw new IllegalArgumentException("the first stage must not be null");
        }
        return of(null, first, depthwise, project, threads);
    }

    private static QuantChain of(QuantConv1x1 expand, Conv2d first, Conv2d depthwise, QuantConv1x1 project,
                                 int threads) {
        if (depthwise == null || project == null) {
            throw new IllegalArgumentException("the depthwise and the projection must not be null");
        }
        Conv2d.checkThreads(threads);
        ConvShape d = depthwise.shape();
        ConvChain.checkDepthwise(d);
        if (expand != null && expand.outChannels() != d.inChannels()) {
            throw new IllegalArgumentException("the expansion's " + expand.outChannels() + " output channels "
                    + "do not match the depthwise's " + d.inChannels());
        }
        if (first != null && (first.shape().isDepthwise() || first.shape().outChannels() != d.inChannels()
                || first.isa() != depthwise.isa())) {
            throw new IllegalArgumentException("the first stage must not be depthwise, must give the depthwise's "
                    + d.inChannels() + " channels and use its ISA: " + first);
        }
        if (project.inChannels() != d.outChannels()) {
            throw new IllegalArgumentException("the projection's " + project.inChannels() + " input channels "
                    + "do not match the depthwise's " + d.outChannels());
        }
        return new QuantChain(expand, first, depthwise, project, threads);
    }

    /** The INT8 expansion, or null when the chain has none. */
    public QuantConv1x1 expand() {
        return expand;
    }

    /** The float first stage, or null when the chain has none. */
    public Conv2d first() {
        return first;
    }

    public Conv2d depthwise() {
        return depthwise;
    }

    public QuantConv1x1 project() {
        return project;
    }

    public int threads() {
        return threads;
    }

    /** Input channels: the first stage's, or the depthwise's when there is none. */
    public int inChannels() {
        return expand != null ? expand.inChannels() : first != null ? first.shape().inChannels()
                : depthwise.shape().inChannels();
    }

    public int outHeight(int height) {
        return depthwise.shape().outHeight(ConvChain.middle(first, height, true));
    }

    public int outWidth(int width) {
        return depthwise.shape().outWidth(ConvChain.middle(first, width, false));
    }

    /** Multiply-accumulates of the three, for an input of {@code height x width}. */
    public long macs(int height, int width) {
        long m = depthwise.shape().macs(ConvChain.middle(first, height, true), ConvChain.middle(first, width, false))
                + project.macs(outHeight(height), outWidth(width));
        return m + (expand != null ? expand.macs(height, width)
                : first != null ? first.shape().macs(height, width) : 0);
    }

    @Override
    public int outputLength(int height, int width) {
        return outHeight(height) * outWidth(width) * project.outChannels();
    }

    @Override
    public void run(float[] input, int height, int width, float[] residual, float[] output) {
        run(input, height, width, residual, output, threads);
    }

    @Override
    public void run(float[] input, int height, int width, float[] residual, float[] output, int threads) {
        Conv2d.checkThreads(threads);
        Conv2d.checkArrays(input, height, width, inChannels(), residual, output, outputLength(height, width));
        if (closed) {
            throw new IllegalStateException("this chain is closed");
        }
        try (Held held = new Held()) {
            ConvChain.checkStatus(NativeKernels.runQuantChain(held.hold(expand), held.hold(first),
                    held.hold(depthwise), held.hold(project), input, height, width, residual, output, threads));
        }
    }

    /** Marks the chain closed; the convolutions it borrowed stay open (the caller owns them). */
    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        Object head = expand != null ? expand : first;
        return "QuantChain[" + (head == null ? "" : head + " -> ") + depthwise + " -> " + project + "], "
                + threads + " threads";
    }
}
