package io.dafedge.synth.demo;

import java.util.Arrays;

import io.dafedge.synth.Image;
import io.dafedge.synth.Mask;

/**
 * A defect as a change to the picture: per pixel its coverage (0..1) and the signed grey-level change it makes at
 * full coverage, split over the channels by a tint. Compositing multiplies coverage by the part's support, so a
 * defect never leaves the part.
 */
final class DefectLayer {
    /**
     * Coverage at or below this is not defect: the mask is what lies above it, and coverage is re-ramped from it so
     * the change fades to nothing at the mask's edge instead of stepping.
     */
    static final float MASK_FLOOR = 0.1f;
    static final float[] NEUTRAL = {1f, 1f, 1f};

    final float[] alpha;
    final float[] levels;
    private final float[] tint;

    DefectLayer(int pixels, float[] tint) {
        this.alpha = new float[pixels];
        this.levels = new float[pixels];
        this.tint = tint;
    }

    /** A layer changing every covered pixel by the same amount. */
    static DefectLayer uniform(Coverage coverage, double levels, float[] tint) {
        DefectLayer layer = new DefectLayer(coverage.alpha.length, tint);
        System.arraycopy(coverage.alpha, 0, layer.alpha, 0, coverage.alpha.length);
        Arrays.fill(layer.levels, (float) levels);
        return layer;
    }

    /** The part's picture with this defect on it; only masked pixels are touched, so the mask covers every change. */
    DemoSample compose(Part part, DemoDefect defect) {
        Image base = part.image;
        Image out = base.copy();
        Mask mask = new Mask(base.width, base.height);
        for (int i = 0; i < alpha.length; i++) {
            float a = alpha[i] * part.support[i];
            if (a <= MASK_FLOOR) {
                continue;
            }
            mask.set(i);
            double change = (a - MASK_FLOOR) / (1 - MASK_FLOOR) * levels[i];
            for (int c = 0, o = i * 3; c < 3; c++, o++) {
                out.data[o] = Shading.toByte((base.data[o] & 0xFF) + change * tint[c]);
            }
        }
        return new DemoSample(out, mask, defect);
    }
}
