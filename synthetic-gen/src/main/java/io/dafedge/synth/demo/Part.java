package io.dafedge.synth.demo;

import java.util.Arrays;
import java.util.SplittableRandom;

import io.dafedge.synth.Image;
import io.dafedge.synth.Mask;

/**
 * One rendered part: its RGB picture and its defect support, the anti-aliased coverage (0..1 per pixel) of the
 * surface a defect may land on. Defects are multiplied by the support, so they never reach the background.
 */
final class Part {
    /** Image side at which renderer sizes in pixels are quoted; other sizes scale from it. */
    static final double REFERENCE_SIDE = 256;
    /** Defect centres keep this fraction of the short side from the border, so a defect is rarely cut off. */
    private static final double SPOT_MARGIN = 0.12;
    private static final int SPOT_TRIES = 10_000;

    final Image image;
    final float[] support;

    Part(Image image, float[] support) {
        this.image = image;
        this.support = support;
    }

    /** A part whose whole picture is product surface (the textured products fill the frame). */
    static Part filling(Image image) {
        float[] support = new float[image.pixels()];
        Arrays.fill(support, 1f);
        return new Part(image, support);
    }

    int width() {
        return image.width;
    }

    int height() {
        return image.height;
    }

    /** Pixels per reference pixel: renderers and defects quote sizes at 256 px and multiply by this. */
    double scale() {
        return Math.min(image.width, image.height) / REFERENCE_SIDE;
    }

    /** A random pixel, away from the border, where the support is full; the defect centre. */
    int[] spot(SplittableRandom rnd) {
        int margin = (int) (SPOT_MARGIN * Math.min(image.width, image.height));
        int spanX = image.width - 2 * margin;
        int spanY = image.height - 2 * margin;
        for (int i = 0; i < SPOT_TRIES; i++) {
            int x = margin + rnd.nextInt(spanX);
            int y = margin + rnd.nextInt(spanY);
            if (support[y * image.width + x] >= 1f) {
                return new int[] {x, y};
            }
        }
        throw new IllegalStateException("no full-support pixel found for a defect on a " + image + " part");
    }

    /** Mean Rec. 601 luma of the square of half-side {@code radius} around (cx, cy), clipped to the image. */
    double meanLuma(int cx, int cy, int radius) {
        long sum = 0;
        int n = 0;
        for (int y = Math.max(0, cy - radius); y <= Math.min(image.height - 1, cy + radius); y++) {
            for (int x = Math.max(0, cx - radius); x <= Math.min(image.width - 1, cx + radius); x++) {
                sum += Image.luma(image.get(x, y, 0), image.get(x, y, 1), image.get(x, y, 2));
                n++;
            }
        }
        return (double) sum / n;
    }

    /** Pixels where a defect can appear (support above zero). */
    Mask supportMask() {
        Mask mask = new Mask(image.width, image.height);
        for (int i = 0; i < support.length; i++) {
            if (support[i] > 0) {
                mask.set(i);
            }
        }
        return mask;
    }
}
