package io.dafedge.synth;

import java.util.SplittableRandom;

/**
 * The photometric augmentations DRAEM/DAF apply to a texture before it fills a defect: ten operations, three of
 * them picked at random per sample. Works on grey (1 channel) and RGB images; colour-only ones leave grey as is.
 */
public final class Photometric {
    public static final int OPERATIONS = 10;

    private Photometric() {
    }

    /** Applies {@code count} distinct operations chosen at random, in random order. */
    public static Image augment(Image image, int count, SplittableRandom rnd) {
        int[] order = new int[OPERATIONS];
        for (int i = 0; i < OPERATIONS; i++) {
            order[i] = i;
        }
        Image out = image.copy();
        for (int i = 0; i < count; i++) {
            int j = i + rnd.nextInt(OPERATIONS - i);
            int op = order[j];
            order[j] = order[i];
            order[i] = op;
            out = apply(op, out, rnd);
        }
        return out;
    }

    static Image apply(int op, Image img, SplittableRandom rnd) {
        switch (op) {
            case 0 -> { // gamma 0.5..2, per channel
                for (int c = 0; c < img.channels; c++) {
                    double gamma = 0.5 + rnd.nextDouble() * 1.5;
                    int[] lut = new int[256];
                    for (int v = 0; v < 256; v++) {
                        lut[v] = (int) Math.round(255 * StrictMath.pow(v / 255.0, gamma));
                    }
                    applyLut(img, c, lut);
                }
            }
            case 1 -> brightnessContrast(img, 0.8 + rnd.nextDouble() * 0.4, -30 + rnd.nextDouble() * 60);
            case 2 -> { // sharpness factor 0..2 as in PIL: blend with a 3x3 smoothed copy
                return sharpen(img, rnd.nextDouble() * 2);
            }
            case 3 -> hueSaturation(img, rnd.nextDouble() * 100 - 50, (rnd.nextDouble() * 100 - 50) / 255.0, 1.0);
            case 4 -> { // solarize above a threshold of 32..128
                int t = 32 + rnd.nextInt(97);
                int[] lut = new int[256];
                for (int v = 0; v < 256; v++) {
                    lut[v] = v >= t ? 255 - v : v;
                }
                applyLutAll(img, lut);
            }
            case 5 -> { // posterize to 2..6 bits
                int bits = 2 + rnd.nextInt(5);
                int keep = 0xFF << (8 - bits) & 0xFF;
                int[] lut = new int[256];
                for (int v = 0; v < 256; v++) {
                    lut[v] = v & keep;
                }
                applyLutAll(img, lut);
            }
            case 6 -> { // invert
                int[] lut = new int[256];
                for (int v = 0; v < 256; v++) {
                    lut[v] = 255 - v;
                }
                applyLutAll(img, lut);
            }
            case 7 -> { // autocontrast: stretch each channel to 0..255
                for (int c = 0; c < img.channels; c++) {
                    int[] hist = histogram(img, c);
                    int lo = 0;
                    int hi = 255;
                    while (lo < 255 && hist[lo] == 0) {
                        lo++;
                    }
                    while (hi > 0 && hist[hi] == 0) {
                        hi--;
                    }
                    if (hi > lo) {
                        int[] lut = new int[256];
                        for (int v = 0; v < 256; v++) {
                            lut[v] = Image.clamp((int) Math.round((v - lo) * 255.0 / (hi - lo)));
                        }
                        applyLut(img, c, lut);
                    }
                }
            }
            case 8 -> { // histogram equalisation per channel
                for (int c = 0; c < img.channels; c++) {
                    int[] hist = histogram(img, c);
                    int[] lut = new int[256];
                    long cum = 0;
                    long n = img.pixels();
                    for (int v = 0; v < 256; v++) {
                        cum += hist[v];
                        lut[v] = (int) (cum * 255 / n);
                    }
                    applyLut(img, c, lut);
                }
            }
            case 9 -> {
                return rotate(img, Math.toRadians(rnd.nextDouble() * 90 - 45));
            }
            default -> throw new IllegalArgumentException("no photometric operation " + op);
        }
        return img;
    }

    /** out = v * mul + add on every colour channel. */
    public static void brightnessContrast(Image img, double mul, double add) {
        int[] lut = new int[256];
        for (int v = 0; v < 256; v++) {
            lut[v] = Image.clamp((int) Math.round(v * mul + add));
        }
        applyLutAll(img, lut);
    }

    /**
     * Shifts hue by {@code hueDegrees}, adds {@code satAdd} (-1..1) to saturation and scales value by {@code valueMul};
     * grey images only get the value scaling.
     */
    public static void hueSaturation(Image img, double hueDegrees, double satAdd, double valueMul) {
        if (img.channels < 3) {
            brightnessContrast(img, valueMul, 0);
            return;
        }
        float[] hsv = new float[3];
        byte[] d = img.data;
        for (int i = 0, n = img.pixels(); i < n; i++) {
            int o = i * img.channels;
            toHsv(d[o] & 0xFF, d[o + 1] & 0xFF, d[o + 2] & 0xFF, hsv);
            float h = (float) (hsv[0] + hueDegrees);
            h = h >= 360 ? h - 360 : h < 0 ? h + 360 : h; // |hueDegrees| <= 360
            float s = (float) Math.min(1, Math.max(0, hsv[1] + satAdd));
            float v = (float) Math.min(255, hsv[2] * valueMul);
            fromHsv(h, s, v, d, o);
        }
    }

    /** PIL-style sharpness: factor 0 = smoothed, 1 = original, 2 = sharpened; the border row/column is kept. */
    public static Image sharpen(Image img, double factor) {
        Image out = img.copy();
        int ch = img.channels;
        int stride = img.width * ch;
        byte[] d = img.data;
        for (int y = 1; y < img.height - 1; y++) {
            for (int i = y * stride + ch, end = (y + 1) * stride - ch; i < end; i++) {
                int centre = d[i] & 0xFF;
                // PIL's smoothing kernel [1 1 1; 1 5 1; 1 1 1] / 13
                int sum = 4 * centre
                        + (d[i - stride - ch] & 0xFF) + (d[i - stride] & 0xFF) + (d[i - stride + ch] & 0xFF)
                        + (d[i - ch] & 0xFF) + centre + (d[i + ch] & 0xFF)
                        + (d[i + stride - ch] & 0xFF) + (d[i + stride] & 0xFF) + (d[i + stride + ch] & 0xFF);
                double smooth = sum / 13.0;
                out.data[i] = (byte) Image.clamp((int) Math.round(smooth + factor * (centre - smooth)));
            }
        }
        return out;
    }

    /** Rotation about the centre with mirrored borders, so the texture has no empty corners. */
    public static Image rotate(Image img, double angle) {
        Image out = new Image(img.width, img.height, img.channels);
        double cos = StrictMath.cos(angle);
        double sin = StrictMath.sin(angle);
        double cx = (img.width - 1) / 2.0;
        double cy = (img.height - 1) / 2.0;
        int ch = img.channels;
        for (int y = 0; y < img.height; y++) {
            for (int x = 0; x < img.width; x++) {
                double dx = x - cx;
                double dy = y - cy;
                int sx = mirror((int) Math.round(cos * dx + sin * dy + cx), img.width);
                int sy = mirror((int) Math.round(-sin * dx + cos * dy + cy), img.height);
                System.arraycopy(img.data, (sy * img.width + sx) * ch, out.data, (y * img.width + x) * ch, ch);
            }
        }
        return out;
    }

    static int mirror(int i, int n) {
        if (n == 1) {
            return 0;
        }
        int period = 2 * (n - 1);
        i = Math.floorMod(i, period);
        return i < n ? i : period - i;
    }

    private static int[] histogram(Image img, int c) {
        int[] hist = new int[256];
        for (int i = c; i < img.data.length; i += img.channels) {
            hist[img.data[i] & 0xFF]++;
        }
        return hist;
    }

    private static void applyLut(Image img, int c, int[] lut) {
        byte[] d = img.data;
        for (int i = c; i < d.length; i += img.channels) {
            d[i] = (byte) lut[d[i] & 0xFF];
        }
    }

    private static void applyLutAll(Image img, int[] lut) {
        for (int c = 0; c < Math.min(img.channels, 3); c++) {
            applyLut(img, c, lut);
        }
    }

    static void toHsv(int r, int g, int b, float[] hsv) {
        int max = Math.max(r, Math.max(g, b));
        int min = Math.min(r, Math.min(g, b));
        float delta = max - min;
        float h;
        if (delta == 0) {
            h = 0;
        } else if (max == r) {
            h = 60 * ((g - b) / delta); // in [-60, 60]: negative wraps below
        } else if (max == g) {
            h = 60 * ((b - r) / delta + 2);
        } else {
            h = 60 * ((r - g) / delta + 4);
        }
        hsv[0] = h < 0 ? h + 360 : h;
        hsv[1] = max == 0 ? 0 : delta / max;
        hsv[2] = max;
    }

    static void fromHsv(float h, float s, float v, byte[] out, int o) {
        float c = v * s;
        float hh = h / 60;
        int sector = Math.min((int) hh, 5);
        float x = c * (1 - Math.abs(hh - (sector & ~1) - 1));
        float m = v - c;
        float r;
        float g;
        float b;
        switch (sector) {
            case 0 -> { r = c; g = x; b = 0; }
            case 1 -> { r = x; g = c; b = 0; }
            case 2 -> { r = 0; g = c; b = x; }
            case 3 -> { r = 0; g = x; b = c; }
            case 4 -> { r = x; g = 0; b = c; }
            default -> { r = c; g = 0; b = x; }
        }
        out[o] = (byte) Image.clamp(Math.round(r + m));
        out[o + 1] = (byte) Image.clamp(Math.round(g + m));
        out[o + 2] = (byte) Image.clamp(Math.round(b + m));
    }
}
