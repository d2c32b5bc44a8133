package io.dafedge.kernels;

import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A 2-D convolution on the native kernels, batch 1: {@code output = activation(conv(input) + bias [+ residual])}.
 * Tensors are HWC float arrays (channels innermost; {@link Layout} converts from and to CHW). The weights, in
 * PyTorch's OIHW layout, are packed once, natively, when the convolution is created; {@link #close()} frees them.
 * Pruned weights can be packed {@link Packing#SPARSE}, which skips the rows of weights that pruning zeroed.
 * <p>
 * Thread-safe: concurrent {@code run} calls are allowed (calls with more than one thread take turns on the library's
 * worker threads); {@code run} after {@code close} throws {@link IllegalStateException}. During a call the JVM's
 * arrays are pinned, which holds off garbage collection for that long (a few milliseconds).
 */
public final class Conv2d implements HwcOperator, AutoCloseable {
    /** Threads per call unless told otherwise: the appliance's two cores. */
    public static final int DEFAULT_THREADS = 2;
    /** More would only oversubscribe any machine the appliance runs on. */
    public static final int MAX_THREADS = 64;

    private final ConvShape shape;
    private final Isa isa;
    private final int threads;
    private final Packing packing;
    /** Weight rows the packing kept and all of them, over the tiles (see {@link #keptFraction()}). */
    private final long keptRows;
    private final long allRows;
    /** Multiply-accumulates per output pixel: kept rows times the valid channels of their tiles. */
    private final long macsPerPixel;
    /** Guards {@link #handle}: runs share it, close takes it alone. */
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private long handle;
    /** The generated library this convolution runs ({@link GeneratedKernels}), 0 for the generic kernel. */
    private long generated;

    private Conv2d(ConvShape shape, Isa isa, int threads, Packing packing, long handle) {
        this.shape = shape;
        this.isa = isa;
        this.threads = threads;
        this.packing = packing;
        this.handle = handle;
        long[] rows = new long[3];
        NativeKernels.rows(handle, rows);
        keptRows = rows[0];
        allRows = rows[1];
        macsPerPixel = rows[2];
    }

    /** With the selected ISA ({@link Isa#selected()}) and {@value #DEFAULT_THREADS} threads. */
    public static Conv2d create(ConvShape shape, float[] weights, float[] bias) {
        return create(shape, weights, bias, Isa.selected(), DEFAULT_THREADS);
    }

    /** Packed {@link Packing#DENSE}. */
    public static Conv2d create(ConvShape shape, float[] weights, float[] bias, Isa isa, int threads) {
        return create(shape, weights, bias, isa, threads, Packing.DENSE);
    }

    /**
     * @param weights {@link ConvShape#weightCount()} values, OIHW
     * @param bias    one per output channel, or null for none
     * @param isa     must be supported by this CPU ({@link Isa#supported()})
     * @param threads threads per call, the caller's included
     * @param packing {@link Packing#SPARSE} to skip the rows of weights pruning zeroed; a depthwise convolution is
     *                packed dense whatever it says ({@link #packing()} tells)
     */
    public static Conv2d create(ConvShape shape, float[] weights, float[] bias, Isa isa, int threads,
                                Packing packing) {
        return create(shape, weights, bias, isa, threads, packing, null);
    }

    /**
     * As {@link #create(ConvShape, float[], float[], Isa, int, Packing)} with a general epilogue instead of the
     * shape's activation, which must then be {@link Activation#NONE}; null for the shape's activation.
     */
    public static Conv2d create(ConvShape shape, float[] weights, float[] bias, Isa isa, int threads,
                                Packing packing, Epilogue epilogue) {
        NativeKernels.require();
        if (shape == null) {
            throw new IllegalArgumentException("shape must not be null");
        }
        if (weights == null || weights.length != shape.weightCount()) {
            throw new IllegalArgumentException("weights: expected " + shape.weightCount() + " values (OIHW) for "
                    + shape + ", got " + (weights == null ? "null" : weights.length));
        }
        if (bias != null && bias.length != shape.outChannels()) {
            throw new IllegalArgumentException("bias: expected " + shape.outChannels() + " values, got "
                    + bias.length);
        }
        checkThreads(threads);
        if (isa == null) {
            throw new IllegalArgumentException("isa must not be null");
        }
        if (!isa.isSupported()) {
            throw new IllegalArgumentException(isa.key() + " is not supported by this CPU");
        }
        if (packing == null) {
            throw new IllegalArgumentException("packing must not be null (Packing.DENSE or Packing.SPARSE)");
        }
        if (epilogue != null && shape.activation() != Activation.NONE) {
            throw new IllegalArgumentException("an epilogue replaces the activation: the shape's must be NONE, not "
                    + shape.activation());
        }
        Packing used = shape.isDepthwise() ? Packing.DENSE : packing;
        long handle = NativeKernels.create(isa.ordinal(), shape.toArray(), weights, bias, used == Packing.SPARSE,
                epilogue == null ? null : epilogue.toArray());
        if (handle == 0) {
            throw new OutOfMemoryError("no native memory for the packed weights of " + shape);
        }
        return new Conv2d(shape, isa, threads, used, handle);
    }

    public ConvShape shape() {
        return shape;
    }

    /** The instruction set this convolution's kernels use. */
    public Isa isa() {
        return isa;
    }

    public int threads() {
        return threads;
    }

    /** The packing in use: as asked, except {@link Packing#DENSE} for a depthwise convolution. */
    public Packing packing() {
        return packing;
    }

    /**
     * Weight rows kept over all rows, summed over the tiles of output channels ({@link Isa#lanes() two vectors}
     * wide; each tile counts kernel positions x input channels of its group as rows): 1.0 when packed dense. Tiles
     * count alike whatever their valid channels, so the figure depends on the ISA when a group's output channels are
     * not a multiple of 32 or the mask's zeros do not fill whole 32-filter blocks. {@link #executedMacs(int, int)}
     * weighs by channels.
     */
    public double keptFraction() {
        return allRows == 0 ? 1.0 : (double) keptRows / allRows;
    }

    /**
     * The multiply-accumulates the kernel performs for an input of {@code height x width}: per output pixel, each
     * tile's kept rows times the tile's valid (not padding) output channels. Counted as {@link ConvShape#macs(int,
     * int)} counts, which it equals when packed dense: kernel positions over the zero padding count too (the kernel
     * skips those for border pixels either way, so both figures overstate the border alike).
     */
    public long executedMacs(int height, int width) {
        return Math.multiplyExact((long) shape.outHeight(height) * shape.outWidth(width), macsPerPixel);
    }

    @Override
    public void run(float[] input, int height, int width, float[] residual, float[] output) {
        run(input, height, width, residual, output, threads);
    }

    @Override
    public void run(float[] input, int height, int width, float[] residual, float[] output, int threads) {
        checkThreads(threads);
        checkArrays(input, height, width, shape.inChannels(), residual, output, outputLength(height, width));
        long h = acquire();
        try {
            int status = NativeKernels.run(h, input, height, width, residual, output, threads);
            if (status != 0) {
                throw new IllegalStateException("native convolution failed with status " + status);
            }
        } finally {
            release();
        }
    }

    /** Every thread count the kernels take: 1 to {@value #MAX_THREADS}. */
    static void checkThreads(int threads) {
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("threads must be in [1, " + MAX_THREADS + "], got " + threads);
        }
    }

    /** The checks every run makes before C is reached, for a convolution and for a {@link ConvChain}. */
    static void checkArrays(float[] input, int height, int width, int inChannels, float[] residual, float[] output,
                            int outLength) {
        long inLength = (long) height * width * inChannels;
        if (input == null || input.length != inLength) {
            throw new IllegalArgumentException("input: expected " + height + " x " + width + " x " + inChannels
                    + " = " + inLength + " values (HWC), got " + (input == null ? "null" : input.length));
        }
        if (output == null || output.length != outLength) {
            throw new IllegalArgumentException("output: expected " + outLength + " values, got "
                    + (output == null ? "null" : output.length));
        }
        if (residual != null && residual.length != outLength) {
            throw new IllegalArgumentException("residual: expected " + outLength + " values, got " + residual.length);
        }
        if (output == input) {
            throw new IllegalArgumentException("output must not be the input array");
        }
    }

    /**
     * The native handle, kept valid until {@link #release()}: {@link #close()} waits for it. For {@link ConvChain},
     * which runs borrowed convolutions in one native call.
     */
    long acquire() {
        lock.readLock().lock();
        if (handle == 0) {
            lock.readLock().unlock();
            throw new IllegalStateException("convolution " + shape + " is closed");
        }
        return handle;
    }

    void release() {
        lock.readLock().unlock();
    }

    /** The packing, for {@link KernelGenerator}: {@code NativeKernels.packedTiles} and {@code packedWeights}. */
    Packed packed() {
        long h = acquire();
        try {
            return new Packed(NativeKernels.packedTiles(h), NativeKernels.packedWeights(h));
        } finally {
            release();
        }
    }

    /** The packing as the kernels stream it: tiles (see {@code NativeKernels.packedTiles}) and floats. */
    record Packed(int[] tiles, float[] weights) {
    }

    /**
     * Runs the generated function {@code symbol} of library {@code lib} from now on: the status of
     * {@code NativeKernels.attachGenerated}. Waits for running calls (also a {@link ConvChain}'s).
     */
    int attachGenerated(long lib, String symbol) {
        lock.writeLock().lock();
        try {
            if (handle == 0) {
                throw new IllegalStateException("convolution " + shape + " is closed");
            }
            int status = NativeKernels.attachGenerated(handle, lib, symbol);
            if (status == 0) {
                generated = lib;
            }
            return status;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Back to the generic kernel if it runs library {@code lib}'s code (not another's attached since), so the
     * library can be closed; nothing when closed. Waits for running calls.
     */
    void detachGenerated(long lib) {
        lock.writeLock().lock();
        try {
            if (handle != 0 && generated == lib) {
                NativeKernels.attachGenerated(handle, 0, null);
                generated = 0;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Whether it runs generated code ({@link GeneratedKernels}) instead of the generic kernel. */
    public boolean runsGenerated() {
        lock.readLock().lock();
        try {
            return generated != 0;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public int outputLength(int height, int width) {
        long n = (long) shape.outHeight(height) * shape.outWidth(width) * shape.outChannels();
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("output of " + n + " values does not fit a Java array");
        }
        return (int) n;
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (handle != 0) {
                NativeKernels.free(handle);
                handle = 0;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "Conv2d" + shape + " on " + isa.key() + ", " + threads + " threads"
                + (packing == Packing.SPARSE ? ", sparse (" + keptRows + " of " + allRows + " rows)" : "")
                + (runsGenerated() ? ", generated code" : "");
    }
}
