package io.dafedge.train.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The pixel metrics at the size of a whole test set; prints the time taken. */
class MetricsScaleTest {
    private static final int IMAGES = 580;
    private static final int SIDE = 256;

    @Test
    void fortyMillionPixelsOfAurocAndAveragePrecision() {
        SplittableRandom random = new SplittableRandom(11);
        int n = 40_000_000;
        float[] scores = new float[n];
        boolean[] labels = new boolean[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextDouble() < 0.03;
            scores[i] = (float) ((labels[i] ? 0.3 : 0) + 0.7 * random.nextDouble());
        }
        long start = System.nanoTime();
        double auroc = Auroc.of(scores, labels);
        long middle = System.nanoTime();
        double ap = AveragePrecision.of(scores, labels);
        long end = System.nanoTime();
        System.out.printf(Locale.ROOT, "40M pixels: AUROC %.6f in %d ms, AP %.6f in %d ms%n",
                auroc, (middle - start) / 1_000_000, ap, (end - middle) / 1_000_000);
        // Positives U(0.3, 1), negatives U(0, 0.7): a negative beats a positive only when both fall in the shared
        // [0.3, 0.7], with probability (4/7)^2, and then half the time.
        assertEquals(1 - 0.5 * 16 / 49, auroc, 1e-3);
        assertTrue(ap > 0.03 && ap < 1, "AP " + ap);
    }

    @Test
    void proOverFiveHundredEightyImagesOfRandomBlobs() {
        SplittableRandom random = new SplittableRandom(12);
        Pro.Builder pro = new Pro.Builder();
        for (int k = 0; k < IMAGES; k++) {
            float[] map = new float[SIDE * SIDE];
            boolean[] mask = new boolean[map.length];
            for (int blobs = k % 2 == 0 ? 0 : random.nextInt(1, 4); blobs > 0; blobs--) {
                blob(random, mask);
            }
            for (int i = 0; i < map.length; i++) {
                map[i] = (float) (random.nextDouble() + (mask[i] ? 0.4 * random.nextDouble() : 0));
            }
            pro.add(map, mask, SIDE, SIDE);
        }
        long start = System.nanoTime();
        double value = pro.compute(Pro.MVTEC_MAX_FPR);
        long end = System.nanoTime();
        System.out.printf(Locale.ROOT, "PRO over %d images of %dx%d: %.6f in %d ms%n",
                IMAGES, SIDE, SIDE, value, (end - start) / 1_000_000);
        assertTrue(value > 0 && value < 1, "PRO " + value);
    }

    /** A disc of radius 3 to 30 anywhere, clipped at the border. */
    private static void blob(SplittableRandom random, boolean[] mask) {
        int cx = random.nextInt(SIDE);
        int cy = random.nextInt(SIDE);
        int r = random.nextInt(3, 31);
        for (int y = Math.max(0, cy - r); y < Math.min(SIDE, cy + r + 1); y++) {
            for (int x = Math.max(0, cx - r); x < Math.min(SIDE, cx + r + 1); x++) {
                if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r) {
                    mask[y * SIDE + x] = true;
                }
            }
        }
    }
}
