package io.dafedge.synth;

import java.util.SplittableRandom;

/**
 * Cheap defects that DAF should learn from as well as from textures: a uniform-colour blob, a Gaussian-noise
 * blob, a blurred smudge (each in a random Perlin or ellipse footprint) and a line scratch.
 * {@code simple} draws one of the four kinds at random; {@code simple-<kind>} always the same kind.
 */
public final class SimpleStrategy implements AnomalyStrategy {
    public enum Kind {
        COLOR, NOISE, BLUR, SCRATCH;

        public String strategyName() {
            return "simple-" + name().toLowerCase();
        }
    }

    public static final String MIXED = "simple";
    private final Kind kind;

    /** @param kind the kind to draw, or null for a random one per sample */
    public SimpleStrategy(Kind kind) {
        this.kind = kind;
    }

    @Override
    public String name() {
        return kind == null ? MIXED : kind.strategyName();
    }

    @Override
    public void draw(Image target, Mask mask, SplittableRandom rnd) {
        Kind k = kind != null ? kind : Kind.values()[rnd.nextInt(Kind.values().length)];
        switch (k) {
            case COLOR -> colourBlob(target, mask, rnd);
            case NOISE -> noiseBlob(target, mask, rnd);
            case BLUR -> smudge(target, mask, rnd);
            case SCRATCH -> scratch(target, mask, rnd);
        }
    }

    private static void colourBlob(Image target, Mask mask, SplittableRandom rnd) {
        Masks.copyInto(Masks.blob(target.width, target.height, rnd), mask);
        int[] colour = {rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256)};
        double opacity = 0.6 + rnd.nextDouble() * 0.4;
        paint(target, mask, colour, opacity);
    }

    private static void noiseBlob(Image target, Mask mask, SplittableRandom rnd) {
        Masks.copyInto(Masks.blob(target.width, target.height, rnd), mask);
        double sigma = 20 + rnd.nextDouble() * 40;
        byte[] d = target.data;
        for (int i = 0, n = target.pixels(); i < n; i++) {
            if (mask.get(i)) {
                for (int c = 0; c < target.channels; c++) {
                    int o = i * target.channels + c;
                    d[o] = (byte) Image.clamp((int) Math.round((d[o] & 0xFF) + sigma * rnd.nextGaussian()));
                }
            }
        }
    }

    /** The image box-blurred and dragged sideways inside the footprint, like a smear of grease or a wipe. */
    private static void smudge(Image target, Mask mask, SplittableRandom rnd) {
        int w = target.width;
        int h = target.height;
        Masks.copyInto(Masks.blob(w, h, rnd), mask);
        int radius = 3 + rnd.nextInt(Math.max(2, Math.min(w, h) / 16));
        int shiftX = rnd.nextInt(4 * radius + 1) - 2 * radius;
        int shiftY = rnd.nextInt(4 * radius + 1) - 2 * radius;
        int[] box = Masks.bounds(mask);
        // the footprint reads the blurred image at its own pixels shifted: blur just that window
        int rx0 = clamp(box[0] + shiftX, w);
        int ry0 = clamp(box[1] + shiftY, h);
        int rw = clamp(box[2] + shiftX, w) - rx0 + 1;
        int rh = clamp(box[3] + shiftY, h) - ry0 + 1;
        float[] blurred = boxBlur(target, rx0, ry0, rw, rh, radius);
        int ch = target.channels;
        for (int y = box[1]; y <= box[3]; y++) {
            for (int x = box[0]; x <= box[2]; x++) {
                if (mask.get(x, y)) {
                    int b = ((clamp(y + shiftY, h) - ry0) * rw + clamp(x + shiftX, w) - rx0) * ch;
                    for (int c = 0; c < ch; c++) {
                        target.data[(y * w + x) * ch + c] = (byte) Math.round(blurred[b + c]);
                    }
                }
            }
        }
    }

    /**
     * Mean over a (2r+1)^2 box, edges clamped, for the rw x rh window at (x0, y0); two running-sum passes, so the
     * cost does not grow with the radius.
     */
    static float[] boxBlur(Image img, int x0, int y0, int rw, int rh, int r) {
        int ch = img.channels;
        int rows = rh + 2 * r;
        float[] horizontal = new float[rows * rw * ch];
        for (int j = 0; j < rows; j++) {
            int row = clamp(y0 - r + j, img.height) * img.width;
            for (int c = 0; c < ch; c++) {
                float sum = 0;
                for (int t = -r; t <= r; t++) {
                    sum += img.data[(row + clamp(x0 + t, img.width)) * ch + c] & 0xFF;
                }
                horizontal[j * rw * ch + c] = sum;
                for (int i = 1; i < rw; i++) {
                    sum += (img.data[(row + clamp(x0 + i + r, img.width)) * ch + c] & 0xFF)
                            - (img.data[(row + clamp(x0 + i - 1 - r, img.width)) * ch + c] & 0xFF);
                    horizontal[(j * rw + i) * ch + c] = sum;
                }
            }
        }
        float norm = 1f / ((2 * r + 1) * (2 * r + 1));
        float[] out = new float[rw * rh * ch];
        for (int i = 0; i < rw * ch; i++) {
            float sum = 0;
            for (int j = 0; j <= 2 * r; j++) {
                sum += horizontal[j * rw * ch + i];
            }
            out[i] = sum * norm;
            for (int j = 1; j < rh; j++) {
                sum += horizontal[(j + 2 * r) * rw * ch + i] - horizontal[(j - 1) * rw * ch + i];
                out[j * rw * ch + i] = sum * norm;
            }
        }
        return out;
    }

    /** A curved stroke, 1-3 px wide at 256 px, bright or dark: a tool or handling scratch. */
    private static void scratch(Image target, Mask mask, SplittableRandom rnd) {
        int w = target.width;
        int h = target.height;
        int side = Math.min(w, h);
        double length = side * (0.15 + rnd.nextDouble() * 0.45);
        double radius = Math.max(0.5, (1 + rnd.nextInt(3)) * side / 256.0 / 2);
        double x = rnd.nextDouble() * w;
        double y = rnd.nextDouble() * h;
        // head roughly towards the centre so that most of the scratch stays inside the image
        double heading = StrictMath.atan2(h / 2.0 - y, w / 2.0 - x) + (rnd.nextDouble() - 0.5) * Math.PI / 1.5;
        double bend = (rnd.nextDouble() - 0.5) * 0.04;
        for (double walked = 0; walked < length; walked += 0.5) {
            stamp(mask, x, y, radius);
            heading += bend + (rnd.nextDouble() - 0.5) * 0.02;
            x += 0.5 * StrictMath.cos(heading);
            y += 0.5 * StrictMath.sin(heading);
        }
        boolean bright = rnd.nextBoolean();
        int base = bright ? 190 + rnd.nextInt(66) : rnd.nextInt(60);
        paint(target, mask, new int[] {base, base, base}, 0.7 + rnd.nextDouble() * 0.3);
    }

    private static void stamp(Mask mask, double cx, double cy, double r) {
        int x0 = Math.max(0, (int) Math.floor(cx - r));
        int x1 = Math.min(mask.width - 1, (int) Math.ceil(cx + r));
        int y0 = Math.max(0, (int) Math.floor(cy - r));
        int y1 = Math.min(mask.height - 1, (int) Math.ceil(cy + r));
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                double dx = x + 0.5 - cx;
                double dy = y + 0.5 - cy;
                if (dx * dx + dy * dy <= r * r + 0.25) {
                    mask.set(x, y);
                }
            }
        }
    }

    /** Blends a colour over the footprint; grey images get the colour's luma. */
    private static void paint(Image target, Mask mask, int[] rgb, double opacity) {
        int[] colour = target.channels == 1 ? new int[] {Image.luma(rgb[0], rgb[1], rgb[2])} : rgb;
        byte[] d = target.data;
        for (int i = 0, n = target.pixels(); i < n; i++) {
            if (mask.get(i)) {
                for (int c = 0; c < target.channels; c++) {
                    int o = i * target.channels + c;
                    d[o] = (byte) Math.round((1 - opacity) * (d[o] & 0xFF) + opacity * colour[c]);
                }
            }
        }
    }

    private static int clamp(int v, int n) {
        return v < 0 ? 0 : Math.min(v, n - 1);
    }
}
