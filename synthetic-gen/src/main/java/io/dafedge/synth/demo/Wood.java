package io.dafedge.synth.demo;

import java.util.SplittableRandom;

import io.dafedge.synth.Image;
import io.dafedge.synth.Perlin;

/**
 * A planed wooden board filling the frame: growth rings are level lines of a noise-warped coordinate across the
 * grain, each ring light (earlywood) darkening into a narrow latewood line; pores are fine streaks along the grain.
 */
final class Wood implements ProductRenderer {
    private static final double[] EARLY = {206, 160, 112};
    private static final double[] LATE = {140, 90, 52};
    private static final double RING_SPACING = 8;
    private static final double MAX_TILT_DEGREES = 3;

    @Override
    public Part render(int width, int height, SplittableRandom rnd) {
        Perlin perlin = new Perlin(rnd.split());
        double s = Math.min(width, height) / Part.REFERENCE_SIDE;
        double tilt = Math.toRadians((rnd.nextDouble() * 2 - 1) * MAX_TILT_DEGREES);
        double cos = StrictMath.cos(tilt);
        double sin = StrictMath.sin(tilt);
        double phase = rnd.nextDouble() * 1000;
        double centreU = width / (2 * s);
        Image image = new Image(width, height, 3);
        for (int y = 0, i = 0; y < height; y++) {
            for (int x = 0; x < width; x++, i++) {
                // u runs along the grain, v across it, both in reference pixels
                float u = (float) ((x * cos + y * sin) / s);
                float v = (float) ((y * cos - x * sin) / s);
                double warp = 30 * perlin.fbm(u / 450f, v / 160f, 3) + 2.5 * perlin.noise(u / 60f + 5.5f, v / 25f);
                // the second term makes ring density vary across the board (fast and slow growth years)
                double ring = (v + warp) / RING_SPACING + phase + 3 * perlin.fbm(u / 900f + 3.3f, v / 70f, 2);
                double year = Math.floor(ring);
                double f = ring - year;
                double f2 = f * f;
                // latewood darkens towards the ring end, then drops back over about a pixel (no aliased step)
                double late = f2 * f2 * f * (1 - Shading.smoothstep(0.9, 1.0, f))
                        * (0.75 + 0.6 * perlin.noise((float) (year * 0.37), 5.5f));
                double pores = Math.max(0, perlin.noise(u / 35f + 91.3f, v / 0.7f) - 0.15);
                double broad = perlin.fbm(u / 200f + 17.1f, v / 80f, 2);
                double shade = Shading.clamp01(0.15 + 0.7 * late + 0.6 * pores + 0.3 * broad);
                double light = 1 + 0.06 * (u - centreU) / (width / s);
                Shading.putRgb(image.data, i,
                        light * Shading.lerp(EARLY[0], LATE[0], shade),
                        light * Shading.lerp(EARLY[1], LATE[1], shade),
                        light * Shading.lerp(EARLY[2], LATE[2], shade));
            }
        }
        return Part.filling(image);
    }
}
