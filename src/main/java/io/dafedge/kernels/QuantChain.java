package io.dafedge.kernels;

import java.util.ArrayList;
import java.util.List;

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
 * depthwise and the projection run one after the other (the test checks it).
 * <p>
 * Borrows its convolutions as {@link ConvChain} does: {@link #close()} does not close them, a closed one makes
 * {@code run} throw. Thread-safe.
 */
public final class QuantChain implements HwcOperator, AutoCloseable {
    private final QuantConv1x1 expand;
    private final Conv2d depthwise;
    private final QuantConv1x1 project;
    private final int threads;
    private volatile boolean closed;

    private QuantChain(QuantConv1x1 expand, Conv2d depthwise, QuantConv1x1 project, int threads) {
        this.expand = expand;
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
        if (project.inChannels() != d.outChannels()) {
            throw new IllegalArgumentException("the projection's " + project.inChannels() + " input channels "
                    + "do not match the depthwise's " + d.outChannels());
        }
        return new QuantChain(expand, depthwise, project, threads);
    }

    /** The expansion, or null when the chain has none. */
    public QuantConv1x1 expand() {
        return expand;
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

    /** Input channels: the expansion's, or the depthwise's when there is none. */
    public int inChannels() {
        return expand == null ? depthwise.shape().inChannels() : expand.inChannels();
    }

    public int outHeight(int height) {
        return depthwise.shape().outHeight(height);
    }

    public int outWidth(int width) {
        return depthwise.shape().outWidth(width);
    }

    /** Multiply-accumulates of the three, for an input of {@code height x width}. */
    public long macs(int height, int width) {
        long m = depthwise.shape().macs(height, width) + project.macs(outHeight(height), outWidth(width));
        return m + (expand == null ? 0 : expand.macs(height, width));
    }

    @Override
    public int outputLength(int height, int width) {
        return depthwise.shape().outHeight(height) * depthwise.shape().outWidth(width) * project.outChannels();
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
        List<Runnable> releases = new ArrayList<>(3);
        try {
            long e = 0;
            if (expand != null) {
                e = expand.acquire();
                releases.add(expand::release);
            }
            long d = depthwise.acquire();
            releases.add(depthwise::release);
            long p = project.acquire();
            releases.add(project::release);
            int status = NativeKernels.runQuantChain(e, d, p, input, height, width, residual, output, threads);
            if (status == -4) {
                throw new OutOfMemoryError("no native memory for the fused block's scratch buffer");
            }
            if (status != 0) {
                throw new IllegalStateException("native fused INT8 block failed with status " + status);
            }
        } finally {
            releases.forEach(Runnable::run);
        }
    }

    /** Marks the chain closed; the convolutions it borrowed stay open (the caller owns them). */
    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "QuantChain[" + (expand == null ? "" : expand + " -> ") + depthwise + " -> " + project + "], "
                + threads + " threads";
    }
}
