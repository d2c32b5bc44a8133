package io.dafedge.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class PerlinTest {
    @Test
    void isZeroOnTheLatticeAndBoundedBetween() {
        Perlin p = new Perlin(new SplittableRandom(9));
        SplittableRandom rnd = new SplittableRandom(1);
        double min = 0;
        double max = 0;
        for (int i = 0; i < 100_000; i++) {
            float v = p.noise(rnd.nextFloat() * 300 - 150, rnd.nextFloat() * 300 - 150);
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertTrue(min >= -0.7072 && max <= 0.7072, min + ".." + max);
        assertTrue(min < -0.4 && max > 0.4, "noise barely varies: " + min + ".." + max);
        assertEquals(0f, p.noise(3, -7), 1e-6);
    }

    @Test
    void isContinuous() {
        Perlin p = new Perlin(new SplittableRandom(3));
        for (float x = 0; x < 20; x += 0.01f) {
            assertEquals(p.noise(x, 1.3f), p.noise(x + 1e-3f, 1.3f), 0.01);
        }
    }

    @Test
    void moreLatticePeriodsGiveSmallerBlobs() {
        Mask coarse = new Perlin(new SplittableRandom(5)).mask(256, 256, 2, 2, 0, 0.2f);
        Mask fine = new Perlin(new SplittableRandom(5)).mask(256, 256, 32, 32, 0, 0.2f);
        assertTrue(edges(fine) > 4 * edges(coarse), edges(fine) + " vs " + edges(coarse));
        assertArrayEquals(fine.data, new Perlin(new SplittableRandom(5)).mask(256, 256, 32, 32, 0, 0.2f).data);
    }

    private static int edges(Mask m) {
        int n = 0;
        for (int y = 0; y < m.height; y++) {
            for (int x = 1; x < m.width; x++) {
                if (m.get(x, y) != m.get(x - 1, y)) {
                    n++;
                }
            }
        }
        return n;
    }
}
