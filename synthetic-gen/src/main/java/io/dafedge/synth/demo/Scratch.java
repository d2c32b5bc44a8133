package io.dafedge.synth.demo;

import java.util.SplittableRandom;

import io.dafedge.synth.Perlin;

/**
 * A scratch: a long hairline along a gentle curve with a slight wobble, tapering at both ends and fading in and
 * out along its length (the tool skipped), brighter where the groove catches the lamp or darker.
 */
final class Scratch implements DefectPainter {
    /** Points per pixel of length: dense enough that the polyline reads as a smooth curve. */
    private static final double POINTS_PER_PIXEL = 0.7;
    /** Thinnest half-width in pixels at any image size, so a scratch never vanishes below a pixel. */
    private static final double MIN_HALF_WIDTH = 0.6;

    @Override
    public DefectLayer paint(Part part, SplittableRandom rnd) {
        Perlin perlin = new Perlin(rnd.split());
        double s = part.scale();
        int[] spot = part.spot(rnd);
        double length = (0.22 + 0.25 * rnd.nextDouble()) * Math.min(part.width(), part.height());
        double heading = rnd.nextDouble() * 2 * Math.PI;
        double cos = StrictMath.cos(heading);
        double sin = StrictMath.sin(heading);
        double bend = (rnd.nextDouble() * 2 - 1) * 0.25;
        double halfWidth = Math.max(MIN_HALF_WIDTH, (0.5 + 0.45 * rnd.nextDouble()) * s);
        int n = Math.max(12, (int) (length * POINTS_PER_PIXEL));
        double[][] points = new double[n][];
        float wobble0 = perlin.noise(0.5f, 0.5f);
        for (int k = 0; k < n; k++) {
            double t = (double) k / (n - 1) - 0.5;
            double along = t * length;
            // passes through the spot (t = 0), bending to one side and wobbling slightly
            double lateral = bend * length * t * t + 1.2 * s * (perlin.noise((float) (t * 6) + 0.5f, 0.5f) - wobble0);
            double taper = Math.sqrt(StrictMath.sin(Math.PI * (t + 0.5)));
            double skip = Shading.clamp01(0.8 + 0.7 * perlin.noise((float) (t * 9) + 3.3f, 1.7f));
            points[k] = new double[] {
                spot[0] + along * cos - lateral * sin,
                spot[1] + along * sin + lateral * cos,
                halfWidth * (0.3 + 0.7 * taper),
                Math.max(0.45, skip) * taper};
        }
        Coverage coverage = new Coverage(part.width(), part.height());
        coverage.stroke(points);
        double luma = part.meanLuma(spot[0], spot[1], (int) Math.ceil(6 * s));
        boolean bright = luma < 185 && (luma < 80 || rnd.nextBoolean());
        double contrast = 55 + 35 * rnd.nextDouble();
        return DefectLayer.uniform(coverage, bright ? contrast : -0.8 * contrast, DefectLayer.NEUTRAL);
    }
}
