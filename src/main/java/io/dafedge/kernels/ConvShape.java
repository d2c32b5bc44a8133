package io.dafedge.kernels;

/**
 * A 2-D convolution's shape, batch 1, dilation 1: channels, kernel, strides, zero padding per side (PyTorch's and
 * ONNX's {@code pads}: top, left, bottom, right), groups (1 dense, {@code inChannels} depthwise) and the fused
 * activation. Sizes are limited to {@value #MAX} to keep the native index arithmetic far from overflow.
 * Start from {@link #of(int, int, int)} and change what differs, e.g. {@code of(3, 32, 3).withStride(2).withPadding(1)}.
 */
public record ConvShape(int inChannels, int outChannels, int kernelHeight, int kernelWidth, int strideHeight,
                        int strideWidth, int padTop, int padLeft, int padBottom, int padRight, int groups,
                        Activation activation) {
    public static final int MAX = 1 << 16;

    public ConvShape {
        check("in channels", inChannels, 1);
        check("out channels", outChannels, 1);
        check("kernel height", kernelHeight, 1);
        check("kernel width", kernelWidth, 1);
        check("stride height", strideHeight, 1);
        check("stride width", strideWidth, 1);
        check("padding top", padTop, 0);
        check("padding left", padLeft, 0);
        check("padding bottom", padBottom, 0);
        check("padding right", padRight, 0);
        check("groups", groups, 1);
        if (inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException("groups (" + groups + ") must divide in channels (" + inChannels
                    + ") and out channels (" + outChannels + ")");
        }
        if ((long) outChannels * (inChannels / groups) * kernelHeight * kernelWidth > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("more than " + Integer.MAX_VALUE + " weights");
        }
        if (activation == null) {
            throw new IllegalArgumentException("activation must not be null (use Activation.NONE)");
        }
    }

    private static void check(String what, int value, int min) {
        if (value < min || value > MAX) {
            throw new IllegalArgumentException(what + " must be in [" + min + ", " + MAX + "], got " + value);
        }
    }

    /** Dense, square kernel, stride 1, no padding, no activation. */
    public static ConvShape of(int inChannels, int outChannels, int kernel) {
        return new ConvShape(inChannels, outChannels, kernel, kernel, 1, 1, 0, 0, 0, 0, 1, Activation.NONE);
    }

    /** Depthwise: one {@code kernel x kernel} filter per channel. */
    public static ConvShape depthwise(int channels, int kernel) {
        return of(channels, channels, kernel).withGroups(channels);
    }

    public ConvShape withStride(int stride) {
        return withStride(stride, stride);
    }

    public ConvShape withStride(int height, int width) {
        return new ConvShape(inChannels, outChannels, kernelHeight, kernelWidth, height, width, padTop, padLeft,
                padBottom, padRight, groups, activation);
    }

    public ConvShape withPadding(int all) {
        return withPadding(all, all, all, all);
    }

    public ConvShape withPadding(int top, int left, int bottom, int right) {
        return new ConvShape(inChannels, outChannels, kernelHeight, kernelWidth, strideHeight, strideWidth, top, left,
                bottom, right, groups, activation);
    }

    public ConvShape withGroups(int g) {
        return new ConvShape(inChannels, outChannels, kernelHeight, kernelWidth, strideHeight, strideWidth, padTop,
                padLeft, padBottom, padRight, g, activation);
    }

    public ConvShape withActivation(Activation a) {
        return new ConvShape(inChannels, outChannels, kernelHeight, kernelWidth, strideHeight, strideWidth, padTop,
                padLeft, padBottom, padRight, groups, a);
    }

    /** Weights in PyTorch's OIHW layout: out channels x (in channels / groups) x kernel height x kernel width. */
    /** As the native code decides: each output channel from its own input channel. */
    public boolean isDepthwise() {
        return groups == inChannels && outChannels == inChannels;
    }

    public int weightCount() {
        return outChannels * (inChannels / groups) * kernelHeight * kernelWidth;
    }

    public int outHeight(int height) {
        return outSize("height", height, padTop, padBottom, kernelHeight, strideHeight);
    }

    public int outWidth(int width) {
        return outSize("width", width, padLeft, padRight, kernelWidth, strideWidth);
    }

    private static int outSize(String axis, int in, int pad0, int pad1, int kernel, int stride) {
        if (in < 1) {
            throw new IllegalArgumentException("input " + axis + " must be at least 1, got " + in);
        }
        long span = (long) in + pad0 + pad1 - kernel;
        if (span < 0) {
            throw new IllegalArgumentException("kernel " + axis + " " + kernel + " exceeds the padded input " + axis
                    + " " + (in + pad0 + pad1));
        }
        return (int) (span / stride + 1);
    }

    /** Multiply-accumulates for an input of {@code height x width}. */
    public long macs(int height, int width) {
        return (long) outHeight(height) * outWidth(width) * weightCount();
    }

    int[] toArray() {
        return new int[] {inChannels, outChannels, kernelHeight, kernelWidth, strideHeight, strideWidth, padTop,
                padLeft, padBottom, padRight, groups, activation.code()};
    }
}
