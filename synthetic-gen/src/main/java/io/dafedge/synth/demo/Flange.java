package io.dafedge.synth.demo;

import java.util.SplittableRandom;

import io.dafedge.synth.Image;
import io.dafedge.synth.Perlin;

/**
 * A turned steel flange seen from above on a dark conveyor belt: raised hub, bore, six bolt holes, bevelled edges
 * lit from one side, concentric turning marks with the bow-tie highlight typical of turned faces, and a soft
 * shadow on the belt. Each part sits with a small position and rotation jitter; its size is fixed.
 */
final class Flange implements ProductRenderer {
    // geometry as fractions of the short image side
    private static final double OUTER = 0.40;
    private static final double HUB = 0.22;
    private static final double BORE = 0.13;
    private static final double PITCH = 0.31;
    private static final double HOLE = 0.034;
    private static final int HOLES = 6;
    private static final double POSITION_JITTER = 0.03;
    private static final double ROTATION_JITTER_DEGREES = 10;
    // sizes in reference pixels
    private static final double BEVEL = 3;
    /** Gap kept between a defect and any edge, so defects stay on the flat machined faces. */
    private static final double SUPPORT_GAP = 2;
    private static final double SHADOW_OFFSET = 5;
    private static final double SHADOW_SOFTNESS = 8;

    @Override
    public Part render(int width, int height, SplittableRandom rnd) {
        Perlin perlin = new Perlin(rnd.split());
        double side = Math.min(width, height);
        double s = side / Part.REFERENCE_SIDE;
        double cx = (width - 1) / 2.0 + (rnd.nextDouble() * 2 - 1) * POSITION_JITTER * side;
        double cy = (height - 1) / 2.0 + (rnd.nextDouble() * 2 - 1) * POSITION_JITTER * side;
        double rotation = Math.toRadians((rnd.nextDouble() * 2 - 1) * ROTATION_JITTER_DEGREES);
        double outer = OUTER * side;
        double hub = HUB * side;
        double bore = BORE * side;
        double hole = HOLE * side;
        double bevel = BEVEL * s;
        double gap = SUPPORT_GAP * s;
        double[] holeX = new double[HOLES];
        double[] holeY = new double[HOLES];
        for (int k = 0; k < HOLES; k++) {
            double a = rotation + k * 2 * Math.PI / HOLES;
            holeX[k] = cx + PITCH * side * StrictMath.cos(a);
            holeY[k] = cy + PITCH * side * StrictMath.sin(a);
        }
        double holeReach = hole + bevel + gap + 1;
        double shadowX = cx + SHADOW_OFFSET * s;
        double shadowY = cy + SHADOW_OFFSET * s;
        float ringPhase = (float) (rnd.nextDouble() * 100);

        Image image = new Image(width, height, 3);
        float[] support = new float[width * height];
        for (int y = 0, i = 0; y < height; y++) {
            for (int x = 0; x < width; x++, i++) {
                double sx = x - shadowX;
                double sy = y - shadowY;
                double belt = belt(perlin, x, y, s) * (1 - 0.5 * Shading.smoothstep(outer + SHADOW_SOFTNESS * s,
                        outer - 2 * s, Math.sqrt(sx * sx + sy * sy)));
                double dx = x - cx;
                double dy = y - cy;
                double r = Math.sqrt(dx * dx + dy * dy);
                double onPart = Shading.inside(r, outer);
                if (onPart == 0) {
                    Shading.putRgb(image.data, i, belt, belt * 1.02, belt * 1.01);
                    continue;
                }
                double radialLight = r == 0 ? 0 : (dx * Shading.LIGHT_X + dy * Shading.LIGHT_Y) / r;
                float rr = (float) (r / s);
                double turning = 5 * perlin.noise(rr * 0.9f + ringPhase, 7.3f)
                        + 8 * perlin.noise(rr / 14f + ringPhase, 2.1f);
                double l2 = radialLight * radialLight;
                double l4 = l2 * l2;
                double highlight = 55 * l4 * l4;
                double diffuse = 12 * (dx * Shading.LIGHT_X + dy * Shading.LIGHT_Y) / outer;
                double mottle = 4 * perlin.noise((float) (dx / (40 * s)) + 50.5f, (float) (dy / (40 * s)));

                double v = 128 + turning + highlight + diffuse + mottle;
                v = Shading.lerp(v, 146 + 0.7 * turning + 1.2 * highlight + diffuse + mottle, Shading.inside(r, hub));
                v = Shading.lerp(v, bevelShade(radialLight), Shading.band(r, hub - bevel, hub));
                v = Shading.lerp(v, bevelShade(radialLight), Shading.clamp01(r - (outer - bevel) + 0.5));
                v = Shading.lerp(v, bevelShade(-radialLight), Shading.band(r, bore, bore + bevel));
                double sup = Shading.inside(r, outer - bevel - gap) * (1 - Shading.inside(r, bore + bevel + gap));
                for (int k = 0; k < HOLES; k++) {
                    double hx = x - holeX[k];
                    double hy = y - holeY[k];
                    if (Math.abs(hx) > holeReach || Math.abs(hy) > holeReach) {
                        continue;
                    }
                    double d = Math.sqrt(hx * hx + hy * hy);
                    double holeLight = d == 0 ? 0 : (hx * Shading.LIGHT_X + hy * Shading.LIGHT_Y) / d;
                    v = Shading.lerp(v, bevelShade(-holeLight), Shading.band(d, hole, hole + bevel));
                    v = Shading.lerp(v, throughHole(belt, d, hole, holeLight), Shading.inside(d, hole));
                    sup *= 1 - Shading.inside(d, hole + bevel + gap);
                }
                v = Shading.lerp(v, throughHole(belt, r, bore, radialLight), Shading.inside(r, bore));
                support[i] = (float) sup;
                Shading.putRgb(image.data, i,
                        Shading.lerp(belt, v * 0.98, onPart),
                        Shading.lerp(belt * 1.02, v, onPart),
                        Shading.lerp(belt * 1.01, v * 1.03, onPart));
            }
        }
        return new Part(image, support);
    }

    /** Rubber conveyor belt: dark, fine-grained, with faint streaks along the running direction. */
    private static double belt(Perlin perlin, int x, int y, double s) {
        return 50 + 7 * perlin.fbm((float) (x / (5 * s)) + 300.5f, (float) (y / (5 * s)), 2)
                + 3 * perlin.noise((float) (x / (1.5 * s)) + 500.5f, (float) (y / (30 * s)));
    }

    /** A 45-degree bevel: bright where its normal (given by its alignment with the light) faces the lamp. */
    private static double bevelShade(double towardsLight) {
        return 125 + 75 * towardsLight;
    }

    /**
     * Looking into a hole: the belt deep in the part's shadow, plus the wall on the side away from the lamp,
     * which faces it and catches light near the rim.
     */
    private static double throughHole(double belt, double d, double radius, double towardsLight) {
        return 0.35 * belt + 45 * Math.max(0, -towardsLight) * Shading.smoothstep(0.5 * radius, radius, d);
    }
}
