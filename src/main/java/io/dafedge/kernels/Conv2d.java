package io.dafedge.kernels;

import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A 2-D convolution on the native kernels, batch 1: {@code output = activation(conv(input) + bias [+ residual])}.
 * Tensors are HWC float arrays (channels innermost; {@link Layout} converts from and to CHW). The weights, in
 * PyTorch's OIHW layout, are packed once, natively, when the convolution is created; {@link #close()} frees them.
 * <p>
 * Thread-safe: concurrent {@code run} calls are allowed (calls with more than one thread take turns on the library's
 * worker threads); {@code run} after {@code close} throws {@link IllegalStateException}. During a call the JVM's
 * arrays are pinned, which holds off garbage collection for that long (a few milliseconds).
 */
public final class Conv2d implements AutoCloseable {
    /** Threads per call unless told otherwise: the appliance's two cores. */
    public static final int DEFAULT_THREADS = 2;
    /** More would only oversubscribe any machine the appliance runs on. */
    public static final int MAX_THREADS = 64;

    private final ConvShape shape;
    private final Isa isa;
    private final int threads;
    /** Guards {@link #handle}: runs share it, close takes it alone. */
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private long handle;

    private Conv2d(ConvShape shape, Isa isa, int threads, long handle) {
        this.shape = shape;
        this.isa = isa;
        this.threads = threads;
        this.handle = handle;
    }

    /** With the selected ISA ({@link Isa#selected()}) and {@value #DEFAULT_THREADS} threads. */
    public static Conv2d create(ConvShape shape, float[] weights, float[] bias) {
        return create(shape, weights, bias, Isa.selected(), DEFAULT_THREADS);
    }

    /**
     * @param weights {@link ConvShape#weightCount()} values, OIHW
     * @param bias    one per output channel, or null for none
     * @param isa     must be supported by this CPU ({@link Isa#supported()})
     * @param threads threads per call, the caller's included
     */
    public static Conv2d create(ConvShape shape, float[] weights, float[] bias, Isa isa, int threads) {
        NativeKernels.require();
        if (weights == null || weights.length != shape.weightCount()) {
            throw new IllegalArgumentException("weights: expected " + shape.weightCount() + " values (OIHW) for "
                    + shape + ", got " + (weights == null ? "null" : weights.length));
        }
        if (bias != null && bias.length != shape.outChannels()) {
            throw new IllegalArgumentException("bias: expected " + shape.outChannels() + " values, got "
                    + bias.length);
        }
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("threads must be in [1, " + MAX_THREADS + "], got " + threads);
        }
        if (!isa.isSupported()) {
            throw new IllegalArgumentException(isa.key() + " is not supported by this CPU");
        }
        long handle = NativeKernels.create(isa.ordinal(), shape.toArray(), weights, bias);
        if (handle == 0) {
            throw new OutOfMemoryError("no native memory for the packed weights of " + shape);
        }
        return new Conv2d(shape, isa, threads, handle);
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

    /** The convolution of an HWC input of {@code height x width}, into a new HWC array. */
    public float[] run(float[] input, int height, int width) {
        return run(input, height, width, null);
    }

    /** As {@link #run(float[], int, int)}, with {@code residual} (the output's shape) added before the activation. */
    public float[] run(float[] input, int height, int width, float[] residual) {
        float[] output = new float[outputLength(height, width)];
        run(input, height, width, residual, output);
        return output;
    }

    /**
     * Into {@code output}, which must not be {@code input}; it may be {@code residual}, which is then added to in
     * place. {@code residual} may be null.
     */
    public void run(float[] input, int height, int width, float[] residual, float[] output) {
        int outLength = outputLength(height, width);
        if (input == null || (long) height * width * shape.inChannels() != input.length) {
            throw new IllegalArgumentException("input: expected " + height + " x " + width + " x "
                    + shape.inChannels() + " = " + (long) height * width * shape.inChannels() + " values (HWC), got "
                    + (input == null ? "null" : input.length));
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
        lock.readLock().lock();
        try {
            if (handle == 0) {
                throw new IllegalStateException("convolution " + shape + " is closed");
            }
            int status = NativeKernels.run(handle, input, height, width, residual, output, threads);
            if (status != 0) {
                throw new IllegalStateException("native convolution failed with status " + status);
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Values of the HWC output for an input of {@code height x width}. */
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
        return "Conv2d" + shape + " on " + isa.key() + ", " + threads + " threads";
    }
}
