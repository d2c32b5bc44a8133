package io.dafedge.model;

import io.dafedge.synth.Image;
import io.dafedge.synth.ImageFiles;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * How an image becomes the network's input: RGB (grey replicated, alpha dropped), resized to a square of
 * {@code size} (area averaging when shrinking, bilinear when enlarging), scaled to [0, 1], then normalised per
 * channel with {@code mean} and {@code std}, as a CHW float tensor. Recorded in every bundle's manifest.
 */
public record Preprocessing(int size, float[] mean, float[] std) {
    /** ImageNet statistics, which the shared MobileNetV2 teacher (and torchvision backbones generally) expect. */
    public static Preprocessing imagenet(int size) {
        return new Preprocessing(size, new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});
    }

    public Preprocessing {
        if (size < 32 || size % 16 != 0) {
            throw new IllegalArgumentException("input size must be a multiple of 16, at least 32, got " + size);
        }
        if (mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("mean and std need 3 values (R, G, B)");
        }
    }

    /** The image resized to the input size, as 8-bit RGB (for overlays and contact sheets). */
    public Image resized(Image image) {
        return resize(image.toChannels(3), size, size);
    }

    /**
     * The resampling every image gets on its way to a model, also used for what people see of it (overlays,
     * thumbnails): area averaging when shrinking (no aliasing), bilinear when enlarging. Keeps the channel count;
     * returns the image itself when it already has the size.
     */
    public static Image resize(Image image, int width, int height) {
        if (image.width == width && image.height == height) {
            return image;
        }
        ImageFiles.loadOpenCv();
        Mat src = new Mat(image.height, image.width, CvType.makeType(CvType.CV_8U, image.channels));
        Mat dst = new Mat();
        try {
            src.put(0, 0, image.data);
            boolean shrink = image.width > width || image.height > height;
            Imgproc.resize(src, dst, new Size(width, height), 0, 0, shrink ? Imgproc.INTER_AREA : Imgproc.INTER_LINEAR);
            Image out = new Image(width, height, image.channels);
            dst.get(0, 0, out.data);
            return out;
        } finally {
            src.release();
            dst.release();
        }
    }

    /** CHW float tensor of the preprocessed image. */
    public float[] tensor(Image image) {
        return normalise(resized(image));
    }

    /** CHW float tensor of an RGB image taken at its own size (a training crop), scaled and normalised. */
    public float[] normalise(Image rgb) {
        return normalise(rgb, false);
    }

    /**
     * As {@link #tensor}, in HWC order (the native kernels'): the same values, written in the image's own
     * interleaved order, one pass without a transposition.
     */
    public float[] tensorHwc(Image image) {
        return normalise(resized(image), true);
    }

    private float[] normalise(Image rgb, boolean hwc) {
        if (rgb.channels != 3) {
            throw new IllegalArgumentException("normalise takes 3-channel RGB, got " + rgb.channels + " channels");
        }
        int plane = rgb.width * rgb.height;
        float[] scale = new float[3];
        float[] shift = new float[3];
        for (int c = 0; c < 3; c++) {
            scale[c] = 1f / (255f * std[c]);
            shift[c] = mean[c] / std[c];
        }
        float[] t = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < 3; c++) {
                t[hwc ? i * 3 + c : c * plane + i] = (rgb.data[i * 3 + c] & 0xFF) * scale[c] - shift[c];
            }
        }
        return t;
    }
}
