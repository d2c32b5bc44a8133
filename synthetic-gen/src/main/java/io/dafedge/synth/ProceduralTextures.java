package io.dafedge.synth;

import java.util.SplittableRandom;

/**
 * Textures the generator makes itself, so perlin-texture needs nothing external (the paper uses DTD photographs).
 * A fixed bank of varied textures (fractal noise, marble, wood rings, cells, weave, stripes) is made once from a
 * constant seed; each sample then takes a random window of one of them, so a run's output depends only on its seed.
 */
public final class ProceduralTextures implements TextureSource {
    static final int BANK_SIZE = 24;
    static final int SIDE = 384;
    private static final long BANK_SEED = 0x7E57_7E57L;

    private static volatile Image[] bank;

    @Override
    public Image texture(int width, int height, int channels, SplittableRandom rnd) {
        Image[] textures = bank();
        return TextureSource.window(textures[rnd.nextInt(textures.length)], width, height, channels, rnd);
    }

    static Image[] bank() {
        Image[] b = bank;
        if (b == null) {
            synchronized (ProceduralTextures.class) {
                b = bank;
                if (b == null) {
                    b = new Image[BANK_SIZE];
                    SplittableRandom rnd = new SplittableRandom(BANK_SEED);
                    for (int i = 0; i < BANK_SIZE; i++) {
                        b[i] = make(i % 6, rnd.split());
                    }
                    bank = b;
                }
            }
        }
        return b;
    }

    /** One texture of the given kind: a scalar pattern in [0, 1] mapped through a random two-colour palette. */
    static Image make(int kind, SplittableRandom rnd) {
        Perlin perlin = new Perlin(rnd);
        float freq = 4 + rnd.nextInt(12);
        float[] c0 = randomColour(rnd);
        float[] c1 = randomColour(rnd);
        int cells = 6 + rnd.nextInt(10);
        float[][] points = new float[cells * cells][2];
        for (float[] p : points) {
            p[0] = rnd.nextFloat();
            p[1] = rnd.nextFloat();
        }
        Image img = new Image(SIDE, SIDE, 3);
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                float u = (float) x / SIDE;
                float v = (float) y / SIDE;
                float t = switch (kind) {
                    case 0 -> 0.5f + 0.7f * perlin.fbm(u * freq, v * freq, 5);
                    case 1 -> 0.5f + 0.5f * (float) StrictMath.sin((u + v) * freq * 3 + 6 * perlin.fbm(u * 4, v * 4, 4));
                    case 2 -> frac(8 * (float) StrictMath.hypot(u - 0.5, v - 0.5) * freq / 4 + 2 * perlin.fbm(u * 3, v * 3, 3));
                    case 3 -> Math.min(1f, nearest(points, u, v) * cells * 1.4f);
                    case 4 -> weave(u * freq * 2, v * freq * 2) * (0.8f + 0.4f * perlin.noise(u * 30, v * 30));
                    default -> 0.5f + 0.5f * (float) Math.signum(StrictMath.sin(u * freq * 6 + 2 * perlin.noise(u * 5, v * 5)))
                            * (0.6f + 0.4f * perlin.fbm(u * 20, v * 20, 2));
                };
                t = Math.max(0f, Math.min(1f, t));
                int o = (y * SIDE + x) * 3;
                for (int c = 0; c < 3; c++) {
                    img.data[o + c] = (byte) Image.clamp(Math.round(c0[c] + (c1[c] - c0[c]) * t));
                }
            }
        }
        return img;
    }

    private static float[] randomColour(SplittableRandom rnd) {
        return new float[] {rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256)};
    }

    private static float frac(float v) {
        return v - (float) Math.floor(v);
    }

    /** Distance to the nearest feature point on a torus: cellular (Worley) noise, stone- or grain-like. */
    private static float nearest(float[][] points, float u, float v) {
        float best = Float.MAX_VALUE;
        for (float[] p : points) {
            float dx = Math.abs(u - p[0]);
            float dy = Math.abs(v - p[1]);
            dx = Math.min(dx, 1 - dx);
            dy = Math.min(dy, 1 - dy);
            best = Math.min(best, dx * dx + dy * dy);
        }
        return (float) Math.sqrt(best);
    }

    /** Over-under basket weave of threads. */
    private static float weave(float x, float y) {
        int cx = (int) Math.floor(x);
        int cy = (int) Math.floor(y);
        boolean horizontal = ((cx + cy) & 1) == 0;
        float across = horizontal ? frac(y) : frac(x);
        return (float) StrictMath.sin(Math.PI * across);
    }
}
