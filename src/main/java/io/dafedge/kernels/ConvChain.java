package io.dafedge.kernels;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A fused inverted-residual block (MobileNetV2's): {@code project(depthwise(expand(input))) [+ residual]}, three
 * {@link Conv2d}s run as one native call over bands of output rows, so that the expanded tensor and the depthwise
 * output only ever exist as a few rows in a per-thread scratch buffer that stays in cache, instead of going to memory
 * and back. Each convolution keeps its own packed weights (dense or sparse) and its own epilogue; the residual, if
 * any, goes to the projection's. The result is the same, to the bit, as running the three one after the other.
 * <p>
 * The chain must be: {@code expand} any convolution that is not depthwise (MobileNetV2's 1x1 expansions, or its
 * first 3x3 stride-2 convolution ahead of the first block, whose 128 x 128 x 32 output then never goes to memory
 * either), or null for none; {@code depthwise} depthwise 3x3, stride 1 or 2, padding 0 or 1 per side; {@code project} 1x1, stride 1, no
 * padding, not depthwise; channels chaining, all three on the same ISA. {@link #of} checks it.
 * <p>
 * <b>Ownership</b>: the chain borrows the three convolutions, it does not own them. {@link #close()} does not close
 * them, and closing one of them makes the chain's {@code run} throw {@link IllegalStateException} (a running call
 * holds them open until it returns). The caller closes the convolutions when it no longer needs them or the chain.
 * <p>
 * Thread-safe like {@link Conv2d}: concurrent {@code run} calls are allowed.
 */
public final class ConvChain implements HwcOperator, AutoCloseable {
    private final Conv2d expand;
    private final Conv2d depthwise;
    private final Conv2d project;
    private final int threads;
    private volatile boolean closed;

    private ConvChain(Conv2d expand, Conv2d depthwise, Conv2d project, int threads) {
        this.expand = expand;
        this.depthwise = depthwise;
        this.project = project;
        this.threads = threads;
    }

    /** With the depthwise convolution's thread count. */
    public static ConvChain of(Conv2d expand, Conv2d depthwise, Conv2d project) {
        return of(expand, depthwise, project, depthwise == null ? 1 : depthwise.threads());
    }

    /**
     * @param expand    the 1x1 expansion, or null for none
     * @param threads   threads per call, the caller's included, as for {@link Conv2d}
     * @throws IllegalArgumentException naming what does not chain
     */
    public static ConvChain of(Conv2d expand, Conv2d depthwise, Conv2d project, int threads) {
        if (depthwise == null || project == null) {
            throw new IllegalArgumentException("the depthwise and the projection must not be null");
        }
        Conv2d.checkThreads(threads);
        if (expand != null && expand.shape().isDepthwise()) {
            throw new IllegalArgumentException("the first stage must not be depthwise: " + expand.shape());
        }
        ConvShape d = depthwise.shape();
        checkDepthwise(d);
        if (!isPointwise(project.shape())) {
            throw new IllegalArgumentException("the projection must be 1x1, stride 1, unpadded and not depthwise: "
                    + project.shape());
        }
        if (expand != null && expand.shape().outChannels() != d.inChannels()) {
            throw new IllegalArgumentException("the expansion's " + expand.shape().outChannels() + " output channels "
                    + "do not match the depthwise's " + d.inChannels());
        }
        if (project.shape().inChannels() != d.outChannels()) {
            throw new IllegalArgumentException("the projection's " + project.shape().inChannels() + " input channels "
                    + "do not match the depthwise's " + d.outChannels());
        }
        if ((expand != null && expand.isa() != depthwise.isa()) || project.isa() != depthwise.isa()) {
            throw new IllegalArgumentException("the three convolutions must use the same ISA, got "
                    + (expand == null ? "" : expand.isa().key() + ", ") + depthwise.isa().key() + ", "
                    + project.isa().key());
        }
        return new ConvChain(expand, depthwise, project, threads);
    }

    /** A chain's middle: depthwise 3x3, stride 1 or 2, padding 0 or 1 per side ({@link QuantChain}'s too). */
    static void checkDepthwise(ConvShape d) {
        if (!d.isDepthwise() || d.kernelHeight() != 3 || d.kernelWidth() != 3) {
            throw new IllegalArgumentException("the middle convolution must be depthwise 3x3: " + d);
        }
        if (d.strideHeight() > 2 || d.strideWidth() > 2) {
            throw new IllegalArgumentException("the depthwise stride must be 1 or 2: " + d);
        }
        if (Math.max(Math.max(d.padTop(), d.padLeft()), Math.max(d.padBottom(), d.padRight())) > 1) {
            throw new IllegalArgumentException("the depthwise padding must be 0 or 1 per side: " + d);
        }
    }

    /** 1x1, stride 1, no padding, and not what the native code treats as depthwise. */
    private static boolean isPointwise(ConvShape s) {
        return s.kernelHeight() == 1 && s.kernelWidth() == 1 && s.strideHeight() == 1 && s.strideWidth() == 1
                && s.padTop() == 0 && s.padLeft() == 0 && s.padBottom() == 0 && s.padRight() == 0 && !s.isDepthwise();
    }

    /** The expansion, or null when the chain has none. */
    public Conv2d expand() {
        return expand;
    }

    public Conv2d depthwise() {
        return depthwise;
    }

    public Conv2d project() {
        return project;
    }

    /** The convolutions in the order they run (two or three). */
    public List<Conv2d> convs() {
        List<Conv2d> list = new ArrayList<>(3);
        if (expand != null) {
            list.add(expand);
        }
        list.add(depthwise);
        list.add(project);
        return Collections.unmodifiableList(list);
    }

    public int threads() {
        return threads;
    }

    public Isa isa() {
        return depthwise.isa();
    }

    /** Input channels: the expansion's, or the depthwise's when there is none. */
    public int inChannels() {
        return (expand == null ? depthwise : expand).shape().inChannels();
    }

    public int outChannels() {
        return project.shape().outChannels();
    }

    /** The depthwise's input height: the first stage's output (the chain's input when there is none). */
    private int middleHeight(int height) {
        return middle(expand, height, true);
    }

    private int middleWidth(int width) {
        return middle(expand, width, false);
    }

    /** A chain's depthwise input side for a chain input side: the first stage's output, or the input itself. */
    static int middle(Conv2d first, int size, boolean height) {
        return first == null ? size : height ? first.shape().outHeight(size) : first.shape().outWidth(size);
    }

    public int outHeight(int height) {
        return depthwise.shape().outHeight(middleHeight(height));
    }

    public int outWidth(int width) {
        return depthwise.shape().outWidth(middleWidth(width));
    }

    /** Multiply-accumulates of the three as dense convolutions, for an input of {@code height x width}. */
    public long macs(int height, int width) {
        long m = depthwise.shape().macs(middleHeight(height), middleWidth(width))
                + project.shape().macs(outHeight(height), outWidth(width));
        return m + (expand == null ? 0 : expand.shape().macs(height, width));
    }

    /**
     * Multiply-accumulates the three's packings perform ({@link Conv2d#executedMacs}); the halo rows a band of the
     * fused run recomputes are not counted.
     */
    public long executedMacs(int height, int width) {
        long m = depthwise.executedMacs(middleHeight(height), middleWidth(width))
                + project.executedMacs(outHeight(height), outWidth(width));
        return m + (expand == null ? 0 : expand.executedMacs(height, width));
    }

    @Override
    public int outputLength(int height, int width) {
        return project.outputLength(outHeight(height), outWidth(width));
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
            checkStatus(NativeKernels.runChain(held.hold(expand), held.hold(depthwise), held.hold(project), input,
                    height, width, residual, output, threads));
        }
    }

    /** A fused block's native status (NativeKernels.runChain's and runQuantChain's) as an exception, 0 as none. */
    static void checkStatus(int status) {
        if (status == -4) {
            throw new OutOfMemoryError("no native memory for the fused block's scratch buffer");
        }
        if (status != 0) {
            throw new IllegalStateException("native fused block failed with status " + status);
        }
    }

    /** Marks the chain closed; the convolutions it borrowed stay open (the caller owns them). */
    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "ConvChain[" + (expand == null ? "" : expand + " -> ") + depthwise + " -> " + project + "], "
                + threads + " threads";
    }
}
