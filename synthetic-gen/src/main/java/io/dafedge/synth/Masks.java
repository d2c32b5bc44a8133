package io.dafedge.synth;

import java.util.SplittableRandom;

/** Random defect footprints shared by the strategies. */
public final class Masks {
    private static final int PERLIN_ATTEMPTS = 12;
    private static final int PREVIEW_STRIDE = 4;

    private Masks() {
    }

    /** Smallest footprint worth training on: 0.1 % of the image, at least 9 pixels. */
    static int minArea(int width, int height) {
        return Math.max(9, width * height / 1000);
    }

    /**
     * The DRAEM/DAF footprint: Perlin noise with 2^0..2^5 lattice periods per axis, rotated by -90..90 degrees,
     * thresholded at 0.5. Draws again while the footprint is too small to see; falls back to an ellipse.
     * Most rejected draws are empty: a preview on every 4th pixel rejects them at 1/16 of the cost.
     */
    public static Mask perlin(int width, int height, SplittableRandom rnd) {
        int minArea = minArea(width, height);
        for (int attempt = 0; attempt < PERLIN_ATTEMPTS; attempt++) {
            float px = 1 << rnd.nextInt(6);
            float py = 1 << rnd.nextInt(6);
            double angle = Math.toRadians(rnd.nextDouble() * 180 - 90);
            Perlin noise = new Perlin(rnd);
            if (noise.mask(width, height, px, py, angle, 0.5f, PREVIEW_STRIDE).area() == 0) {
                continue;
            }
            Mask m = noise.mask(width, height, px, py, angle, 0.5f);
            if (m.area() >= minArea) {
                return m;
            }
        }
        return ellipse(width, height, rnd);
    }

    /** A rotated ellipse with semi-axes of 4-25 % of the shorter side, centred anywhere in the image. */
    public static Mask ellipse(int width, int height, SplittableRandom rnd) {
        int side = Math.min(width, height);
        double a = Math.max(2, side * (0.04 + rnd.nextDouble() * 0.21));
        double b = Math.max(2, side * (0.04 + rnd.nextDouble() * 0.21));
        double cx = rnd.nextDouble() * width;
        double cy = rnd.nextDouble() * height;
        Mask m = new Mask(width, height);
        new Ellipse(cx, cy, a, b, rnd.nextDouble() * Math.PI).scan(1, width, height, (i, x, y, u, v) -> {
            if (u * u + v * v <= 1) {
                m.set(i);
            }
        });
        if (m.area() == 0) {
            m.set(Math.min(width - 1, (int) cx), Math.min(height - 1, (int) cy));
        }
        return m;
    }

    /** A Perlin or an ellipse footprint, even odds: the "random blob" of the simple strategies. */
    public static Mask blob(int width, int height, SplittableRandom rnd) {
        return rnd.nextBoolean() ? perlin(width, height, rnd) : ellipse(width, height, rnd);
    }

    /** Bounding box {x0, y0, x1, y1} (inclusive) of the set pixels; null for an empty mask. */
    public static int[] bounds(Mask m) {
        int x0 = m.width;
        int y0 = m.height;
        int x1 = -1;
        int y1 = -1;
        for (int y = 0; y < m.height; y++) {
            for (int x = 0; x < m.width; x++) {
                if (m.get(x, y)) {
                    x0 = Math.min(x0, x);
                    x1 = Math.max(x1, x);
                    y0 = Math.min(y0, y);
                    y1 = y;
                }
            }
        }
        return x1 < 0 ? null : new int[] {x0, y0, x1, y1};
    }

    static void copyInto(Mask from, Mask to) {
        System.arraycopy(from.data, 0, to.data, 0, from.data.length);
    }
}
