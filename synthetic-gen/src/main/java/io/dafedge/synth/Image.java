package io.dafedge.synth;

import java.util.Arrays;

/**
 * An 8-bit image held as interleaved rows (HWC): 1 channel (grey), 3 (RGB) or 4 (RGBA).
 * Plain arrays keep the generator deterministic to the byte and testable without native code.
 */
public final class Image {
    public final int width;
    public final int height;
    public final int channels;
    public final byte[] data;

    public Image(int width, int height, int channels) {
        this(width, height, channels, new byte[checkedSize(width, height, channels)]);
    }

    public Image(int width, int height, int channels, byte[] data) {
        if (data.length != checkedSize(width, height, channels)) {
            throw new IllegalArgumentException("data length " + data.length + " does not match "
                    + width + "x" + height + "x" + channels);
        }
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.data = data;
    }

    private static int checkedSize(int width, int height, int channels) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
        }
        if (channels != 1 && channels != 3 && channels != 4) {
            throw new IllegalArgumentException("unsupported channel count " + channels + " (1, 3 or 4)");
        }
        return Math.multiplyExact(Math.multiplyExact(width, height), channels);
    }

    public int pixels() {
        return width * height;
    }

    /** Channel value as 0..255. */
    public int get(int x, int y, int c) {
        return data[(y * width + x) * channels + c] & 0xFF;
    }

    public void set(int x, int y, int c, int value) {
        data[(y * width + x) * channels + c] = (byte) clamp(value);
    }

    public Image copy() {
        return new Image(width, height, channels, data.clone());
    }

    /** The colour part of this image (RGB or grey); an RGBA image loses its alpha plane, any other is returned as is. */
    public Image withoutAlpha() {
        if (channels != 4) {
            return this;
        }
        Image rgb = new Image(width, height, 3);
        for (int i = 0, n = pixels(); i < n; i++) {
            System.arraycopy(data, i * 4, rgb.data, i * 3, 3);
        }
        return rgb;
    }

    /** Converts to the given channel count: grey to colour by replication, colour to grey by Rec. 601 luma, alpha opaque. */
    public Image toChannels(int target) {
        if (target == channels) {
            return this;
        }
        Image out = new Image(width, height, target);
        int colour = Math.min(channels, 3);
        for (int i = 0, n = pixels(); i < n; i++) {
            int s = i * channels;
            int d = i * target;
            if (target == 1) {
                out.data[d] = (byte) (colour == 1 ? data[s] & 0xFF : luma(data[s] & 0xFF, data[s + 1] & 0xFF, data[s + 2] & 0xFF));
            } else {
                for (int c = 0; c < 3; c++) {
                    out.data[d + c] = colour == 1 ? data[s] : data[s + c];
                }
                if (target == 4) {
                    out.data[d + 3] = channels == 4 ? data[s + 3] : (byte) 255;
                }
            }
        }
        return out;
    }

    /** Bilinear resize of every channel with {@link #resizePlane}, used for textures that do not match the target size. */
    public Image resize(int newWidth, int newHeight) {
        if (newWidth == width && newHeight == height) {
            return this;
        }
        Image out = new Image(newWidth, newHeight, channels);
        float[] plane = new float[pixels()];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < plane.length; i++) {
                plane[i] = data[i * channels + c] & 0xFF;
            }
            float[] resized = resizePlane(plane, width, height, newWidth, newHeight);
            for (int i = 0; i < resized.length; i++) {
                out.data[i * channels + c] = (byte) Math.round(resized[i]);
            }
        }
        return out;
    }

    /**
     * Bilinear resize of one float plane with half-pixel centres (PyTorch's {@code align_corners=False}, OpenCV's
     * INTER_LINEAR without anti-aliasing): the one resampler of the project, for pixels and anomaly maps alike.
     */
    public static float[] resizePlane(float[] src, int sw, int sh, int dw, int dh) {
        float[] out = new float[dw * dh];
        float sx = (float) sw / dw;
        float sy = (float) sh / dh;
        for (int y = 0; y < dh; y++) {
            float fy = Math.max(0f, (y + 0.5f) * sy - 0.5f);
            int y0 = Math.min((int) fy, sh - 1);
            int y1 = Math.min(y0 + 1, sh - 1);
            float wy = fy - y0;
            for (int x = 0; x < dw; x++) {
                float fx = Math.max(0f, (x + 0.5f) * sx - 0.5f);
                int x0 = Math.min((int) fx, sw - 1);
                int x1 = Math.min(x0 + 1, sw - 1);
                float wx = fx - x0;
                float top = src[y0 * sw + x0] * (1 - wx) + src[y0 * sw + x1] * wx;
                float bottom = src[y1 * sw + x0] * (1 - wx) + src[y1 * sw + x1] * wx;
                out[y * dw + x] = top * (1 - wy) + bottom * wy;
            }
        }
        return out;
    }

    /** A w x h window starting at (x0, y0); the window must lie inside the image. */
    public Image crop(int x0, int y0, int w, int h) {
        if (x0 < 0 || y0 < 0 || x0 + w > width || y0 + h > height) {
            throw new IllegalArgumentException("crop outside image");
        }
        Image out = new Image(w, h, channels);
        for (int y = 0; y < h; y++) {
            System.arraycopy(data, ((y0 + y) * width + x0) * channels, out.data, y * w * channels, w * channels);
        }
        return out;
    }

    public static int luma(int r, int g, int b) {
        return (299 * r + 587 * g + 114 * b + 500) / 1000;
    }

    public static int clamp(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Image other && other.width == width && other.height == height
                && other.channels == channels && Arrays.equals(other.data, data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data) * 31 + width * 7 + height * 3 + channels;
    }

    @Override
    public String toString() {
        return width + "x" + height + "x" + channels;
    }
}
