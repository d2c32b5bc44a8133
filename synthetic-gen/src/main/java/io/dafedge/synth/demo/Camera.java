package io.dafedge.synth.demo;

import java.util.SplittableRandom;

import io.dafedge.synth.Image;

/**
 * What the line camera adds to every frame: a small exposure drift, lens vignetting and sensor noise of a few grey
 * levels, so no two good parts are bit-identical (as with a real camera).
 */
final class Camera {
    private static final double EXPOSURE_DRIFT = 0.06;
    private static final double VIGNETTE = 0.09;
    /** Peak of the triangular per-channel noise; its standard deviation is about 2 grey levels. */
    private static final double NOISE_PEAK = 5.0;

    private Camera() {
    }

    static void expose(Image rgb, SplittableRandom rnd) {
        double gain = 1 + (rnd.nextDouble() - 0.5) * EXPOSURE_DRIFT;
        double cx = (rgb.width - 1) / 2.0;
        double cy = (rgb.height - 1) / 2.0;
        double invCorner = 1 / (cx * cx + cy * cy);
        byte[] d = rgb.data;
        double noiseScale = NOISE_PEAK / 255.0;
        for (int y = 0, i = 0; y < rgb.height; y++) {
            double dy2 = (y - cy) * (y - cy);
            for (int x = 0; x < rgb.width; x++, i++) {
                double f = gain * (1 - VIGNETTE * ((x - cx) * (x - cx) + dy2) * invCorner);
                // one draw per pixel: two bytes per channel summed give triangular noise cheaply
                long bits = rnd.nextLong();
                for (int c = 0, o = i * 3; c < 3; c++, o++, bits >>>= 16) {
                    int tri = (int) (bits & 0xFF) + (int) ((bits >>> 8) & 0xFF) - 255;
                    d[o] = Shading.toByte((d[o] & 0xFF) * f + tri * noiseScale);
                }
            }
        }
    }
}
