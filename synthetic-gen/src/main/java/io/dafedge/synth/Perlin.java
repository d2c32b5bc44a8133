package io.dafedge.synth;

import java.util.SplittableRandom;

/**
 * Seeded 2-D gradient (Perlin) noise on an unbounded lattice, so it can be sampled at rotated and scaled
 * coordinates of any image size (DRAEM's version needs sizes divisible by the lattice resolution).
 * Values lie in about [-0.71, 0.71].
 */
public final class Perlin {
    private static final int N = 256;
    private final int[] perm = new int[2 * N];
    private final float[] gradX = new float[N];
    private final float[] gradY = new float[N];

    public Perlin(SplittableRandom rnd) {
        int[] p = new int[N];
        for (int i = 0; i < N; i++) {
            p[i] = i;
            double angle = rnd.nextDouble() * 2 * Math.PI;
            gradX[i] = (float) StrictMath.cos(angle);
            gradY[i] = (float) StrictMath.sin(angle);
        }
        for (int i = N - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        for (int i = 0; i < 2 * N; i++) {
            perm[i] = p[i & (N - 1)];
        }
    }

    public float noise(float x, float y) {
        int xi = (int) Math.floor(x);
        int yi = (int) Math.floor(y);
        float fx = x - xi;
        float fy = y - yi;
        int ix = xi & (N - 1);
        int iy = yi & (N - 1);
        int h00 = perm[perm[ix] + iy];
        int h10 = perm[perm[ix + 1] + iy];
        int h01 = perm[perm[ix] + iy + 1];
        int h11 = perm[perm[ix + 1] + iy + 1];
        float n00 = gradX[h00] * fx + gradY[h00] * fy;
        float n10 = gradX[h10] * (fx - 1) + gradY[h10] * fy;
        float n01 = gradX[h01] * fx + gradY[h01] * (fy - 1);
        float n11 = gradX[h11] * (fx - 1) + gradY[h11] * (fy - 1);
        float u = fade(fx);
        float v = fade(fy);
        float a = n00 + u * (n10 - n00);
        float b = n01 + u * (n11 - n01);
        return a + v * (b - a);
    }

    /** Fractal sum of octaves, normalised to about [-0.71, 0.71] like a single octave. */
    public float fbm(float x, float y, int octaves) {
        float sum = 0;
        float amp = 1;
        float norm = 0;
        for (int o = 0; o < octaves; o++) {
            sum += amp * noise(x, y);
            norm += amp;
            x *= 2;
            y *= 2;
            amp *= 0.5f;
        }
        return sum / norm;
    }

    private static float fade(float t) {
        return t * t * t * (t * (t * 6 - 15) + 10);
    }

    /**
     * Thresholded noise mask as in DRAEM: {@code periodsX x periodsY} lattice cells across the image, the sampling
     * grid rotated by {@code angle} radians about the image centre, pixels set where the noise, scaled by sqrt(2) to
     * about [-1, 1] as DRAEM scales its own, exceeds {@code threshold}. (Unscaled, DRAEM's threshold of 0.5 leaves
     * footprints of about a tenth of the intended area: 0.1-2.5 % of the image.)
     */
    public Mask mask(int width, int height, float periodsX, float periodsY, double angle, float threshold) {
        return mask(width, height, periodsX, periodsY, angle, threshold, 1);
    }

    /** The same mask evaluated only at every {@code stride}-th pixel of every {@code stride}-th row: a cheap preview. */
    Mask mask(int width, int height, float periodsX, float periodsY, double angle, float threshold, int stride) {
        Mask mask = new Mask(width, height);
        float cos = (float) StrictMath.cos(angle);
        float sin = (float) StrictMath.sin(angle);
        float sx = periodsX / width;
        float sy = periodsY / height;
        float cx = width / 2f;
        float cy = height / 2f;
        // offset so that the lattice origin is not always at the image centre
        float scaledThreshold = threshold / (float) Math.sqrt(2);
        float ox = perm[0] + 0.5f * gradX[1];
        float oy = perm[1] + 0.5f * gradY[2];
        for (int y = 0; y < height; y += stride) {
            float dy = y - cy;
            for (int x = 0; x < width; x += stride) {
                float dx = x - cx;
                float rx = cos * dx - sin * dy;
                float ry = sin * dx + cos * dy;
                if (noise(rx * sx + ox, ry * sy + oy) > scaledThreshold) {
                    mask.set(x, y);
                }
            }
        }
        return mask;
    }
}
