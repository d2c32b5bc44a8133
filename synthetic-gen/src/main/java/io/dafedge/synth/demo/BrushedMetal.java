package io.dafedge.synth.demo;

import java.util.SplittableRandom;

import io.dafedge.synth.Image;
import io.dafedge.synth.Perlin;

/**
 * Brushed stainless sheet filling the frame: noise stretched a hundredfold along the brushing direction gives long
 * fine streaks; a broad vertical band is the lamp's anisotropic reflection, plus a slight gradient.
 */
final class BrushedMetal implements ProductRenderer {
    private static final double BASE = 150;
    private static final double MAX_TILT_DEGREES = 1.5;

    @Override
    public Part render(int width, int height, SplittableRandom rnd) {
        Perlin perlin = new Perlin(rnd.split());
        double s = Math.min(width, height) / Part.REFERENCE_SIDE;
        double tilt = Math.toRadians((rnd.nextDouble() * 2 - 1) * MAX_TILT_DEGREES);
        double cos = StrictMath.cos(tilt);
        double sin = StrictMath.sin(tilt);
        double bandX = width * (0.3 + 0.4 * rnd.nextDouble());
        double bandWidth = width * (0.3 + 0.1 * rnd.nextDouble());
        double bandGain = 24 + 8 * rnd.nextDouble();
        double gradAngle = rnd.nextDouble() * 2 * Math.PI;
        double gradX = 10 * StrictMath.cos(gradAngle) / width;
        double gradY = 10 * StrictMath.sin(gradAngle) / height;
        double[] band = new double[width];
        for (int x = 0; x < width; x++) {
            double t = (x - bandX) / bandWidth;
            band[x] = bandGain * StrictMath.exp(-t * t);
        }
        Image image = new Image(width, height, 3);
        for (int y = 0, i = 0; y < height; y++) {
            for (int x = 0; x < width; x++, i++) {
                // u runs along the brushing, v across it, both in reference pixels
                float u = (float) ((x * cos + y * sin) / s);
                float v = (float) ((y * cos - x * sin) / s);
                double streaks = 10 * perlin.fbm(u / 90f, v / 1.3f, 2)
                        + 6 * perlin.noise(u / 22f + 37.5f, v / 0.55f)
                        + 5 * perlin.noise(u / 300f + 11.3f, v / 7f);
                double g = BASE + band[x] + gradX * (x - width / 2.0) + gradY * (y - height / 2.0) + streaks;
                Shading.putRgb(image.data, i, g * 0.985, g, g * 1.03);
            }
        }
        return Part.filling(image);
    }
}
