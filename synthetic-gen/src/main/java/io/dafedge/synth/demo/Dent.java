package io.dafedge.synth.demo;

import java.util.SplittableRandom;

import io.dafedge.synth.Ellipse;
import io.dafedge.synth.Perlin;

/**
 * A dent: a shallow, irregular crater with a slightly raised lip, shaded by the lamp, so the wall nearer the lamp
 * falls into shadow and the far wall lights up, with a little darkening of the floor.
 */
final class Dent implements DefectPainter {
    private static final double LIP_HEIGHT = 0.15;
    private static final double LIP_WIDTH = 0.3;
    /** How far the outline wanders from an ellipse, as a fraction of the radius. */
    private static final double RAGGEDNESS = 0.25;
    /** Footprint in crater radii: the lip's shading has faded out by here. */
    private static final double REACH = 1.5;
    private static final double MIN_RADIUS = 3;

    @Override
    public DefectLayer paint(Part part, SplittableRandom rnd) {
        Perlin perlin = new Perlin(rnd.split());
        double s = part.scale();
        int[] spot = part.spot(rnd);
        double radius = Math.max(MIN_RADIUS, (5.5 + 6.5 * rnd.nextDouble()) * s);
        Ellipse crater = new Ellipse(spot[0], spot[1], radius, radius * (0.6 + 0.4 * rnd.nextDouble()),
                rnd.nextDouble() * Math.PI);
        double gain = 40 + 20 * rnd.nextDouble();
        double floorShadow = 8 + 6 * rnd.nextDouble();
        float wobbleScale = (float) (radius * 1.3);
        DefectLayer layer = new DefectLayer(part.image.pixels(), DefectLayer.NEUTRAL);
        crater.scan(REACH + RAGGEDNESS, part.width(), part.height(), (i, x, y, u, v) -> {
            double round = Math.sqrt(u * u + v * v);
            // the same noise warps the whole profile, so floor, walls and lip stay concentric but irregular
            double rho = round * (1 + RAGGEDNESS * perlin.noise(x / wobbleScale + 0.5f, y / wobbleScale + 0.5f));
            if (rho >= REACH) {
                return;
            }
            // height h = -(1 - rho^2)^2 inside plus a Gaussian lip; only its radial slope matters for shading
            double e = (rho - 1) / LIP_WIDTH;
            double slope = (rho < 1 ? 4 * rho * (1 - rho * rho) : 0)
                    - LIP_HEIGHT * StrictMath.exp(-e * e) * 2 * e / LIP_WIDTH;
            double towardsLight = round == 0 ? 0
                    : (crater.imageX(u, v) * Shading.LIGHT_X + crater.imageY(u, v) * Shading.LIGHT_Y) / round;
            double floor = rho < 1 ? floorShadow * (1 - rho * rho) : 0;
            layer.levels[i] = (float) (-gain * slope * towardsLight - floor);
            layer.alpha[i] = (float) Shading.smoothstep(REACH, 1.15, rho);
        });
        return layer;
    }
}
