package io.dafedge.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The running-sum box blur of the smudge against the plain definition: the mean of the clamped window. */
class BoxBlurTest {
    @Test
    void equalsTheBruteForceMeanForAnyWindowAndRadius() {
        SplittableRandom rnd = new SplittableRandom(4);
        for (int trial = 0; trial < 60; trial++) {
            int w = 1 + rnd.nextInt(40);
            int h = 1 + rnd.nextInt(40);
            int ch = new int[] {1, 3}[rnd.nextInt(2)];
            Image img = new Image(w, h, ch);
            rnd.nextBytes(img.data);
            int x0 = rnd.nextInt(w);
            int y0 = rnd.nextInt(h);
            int rw = 1 + rnd.nextInt(w - x0);
            int rh = 1 + rnd.nextInt(h - y0);
            int r = rnd.nextInt(12);
            float[] fast = SimpleStrategy.boxBlur(img, x0, y0, rw, rh, r);
            for (int y = 0; y < rh; y++) {
                for (int x = 0; x < rw; x++) {
                    for (int c = 0; c < ch; c++) {
                        double sum = 0;
                        for (int dy = -r; dy <= r; dy++) {
                            for (int dx = -r; dx <= r; dx++) {
                                int sx = Math.min(w - 1, Math.max(0, x0 + x + dx));
                                int sy = Math.min(h - 1, Math.max(0, y0 + y + dy));
                                sum += img.get(sx, sy, c);
                            }
                        }
                        assertEquals(sum / ((2 * r + 1) * (2 * r + 1)), fast[(y * rw + x) * ch + c], 1e-3);
                    }
                }
            }
        }
    }
}
