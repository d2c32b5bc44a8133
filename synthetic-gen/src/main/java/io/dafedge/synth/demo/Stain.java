package io.dafedge.synth.demo;

import java.util.SplittableRandom;

import io.dafedge.synth.Ellipse;
import io.dafedge.synth.Perlin;

/**
 * A stain: a soft, low-contrast tinted blot (rust or oil) with a ragged, noise-driven outline and mottled
 * inside; half of them dried with the darker rim a drying drop leaves.
 */
final class Stain implements DefectPainter {
    /** Per-channel weights of the darkening: rust keeps red, oil is near neutral. */
    private static final float[][] TINTS = {{0.55f, 0.95f, 1.5f}, {0.9f, 1.0f, 1.1f}};
    private static final double REACH = 1.6;

    @Override
    public DefectLayer paint(Part part, SplittableRandom rnd) {
        Perlin perlin = new Perlin(rnd.split());
        double s = part.scale();
        int[] spot = part.spot(rnd);
        double rx = (10 + 12 * rnd.nextDouble()) * s;
        Ellipse blot = new Ellipse(spot[0], spot[1], rx, rx * (0.55 + 0.45 * rnd.nextDouble()),
                rnd.nextDouble() * Math.PI);
        boolean driedRim = rnd.nextBoolean();
        float[] tint = TINTS[rnd.nextInt(TINTS.length)];
        double contrast = 32 + 14 * rnd.nextDouble();
        float edgeScale = (float) (14 * s);
        float mottleScale = (float) (4 * s);
        DefectLayer layer = new DefectLayer(part.image.pixels(), tint);
        blot.scan(REACH, part.width(), part.height(), (i, x, y, u, v) -> {
            double edge = Math.sqrt(u * u + v * v) + 0.4 * perlin.fbm(x / edgeScale, y / edgeScale, 4);
            if (edge >= 1) {
                return;
            }
            double a = Shading.smoothstep(1, 0.6, edge);
            if (driedRim) {
                double e = (edge - 0.88) / 0.1;
                a = 0.6 * a + 0.7 * StrictMath.exp(-e * e);
            }
            a *= 0.8 + 0.3 * perlin.noise(x / mottleScale + 77.5f, y / mottleScale);
            layer.alpha[i] = (float) Shading.clamp01(a);
            layer.levels[i] = (float) -contrast;
        });
        return layer;
    }
}
