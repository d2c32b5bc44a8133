package io.dafedge.train.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

class ProTest {
    private static final boolean F = false;
    private static final boolean T = true;

    /** One test image. */
    private record Image(float[] map, boolean[] mask, int width, int height) {
    }

    /**
     * 4x2, two regions of two pixels: A = (0,0),(1,0) and B = (3,0),(3,1); four normal pixels.
     * <pre>
     * mask    scores
     * T T F T 0.9 0.9 0.5 0.9
     * F F F T 0.1 0.1 0.1 0.2
     * </pre>
     */
    private static final Image TWO_REGIONS = new Image(
            new float[] {0.9f, 0.9f, 0.5f, 0.9f, 0.1f, 0.1f, 0.1f, 0.2f},
            new boolean[] {T, T, F, T, F, F, F, T}, 4, 2);

    @Test
    void twoRegionsOneFullyAndOneHalfDetectedAtFprZero() {
        // t = 0.9: A 2/2, B 1/2 -> PRO 3/4 at FPR 0.  t = 0.5: FPR 1/4.  t = 0.2: B whole -> PRO 1.  t = 0.1: FPR 1.
        // Curve (0,0) (0,3/4) (1/4,3/4) (1/4,1) (1,1).
        Pro.Builder pro = new Pro.Builder().add(TWO_REGIONS.map, TWO_REGIONS.mask, 4, 2);
        assertEquals((0.25 * 0.75 + 0.05 * 1) / 0.3, pro.compute(Pro.MVTEC_MAX_FPR), 1e-12);
        assertEquals(0.75, pro.compute(0.25), 1e-12);
        assertEquals(0.25 * 0.75 + 0.75 * 1, pro.compute(1.0), 1e-12);
    }

    @Test
    void aDefectFreeImageAddsNormalPixelsOnly() {
        // A good 2x2 image scoring 0 doubles the normal pixels to 8: the curve becomes
        // (0,0) (0,3/4) (1/8,3/4) (1/8,1) (1/2,1) (1,1).
        Pro.Builder pro = new Pro.Builder().add(TWO_REGIONS.map, TWO_REGIONS.mask, 4, 2)
                .add(new float[4], new boolean[4], 2, 2);
        assertEquals((0.125 * 0.75 + 0.175 * 1) / 0.3, pro.compute(0.3), 1e-12);
    }

    @Test
    void regionsAreEightConnected() {
        // (0,0)-(1,0) touch (2,1) by a corner: one region of 3, of which only (2,1) is detected at FPR 0, so the
        // curve is (0,0) (0,1/3) (1,1/3) (1,1): 1/3. Four-connected it would be two regions, PRO (0 + 1) / 2.
        float[] map = {0f, 0f, 0.5f, 0.5f, 0.5f, 1f};
        boolean[] mask = {T, T, F, F, F, T};
        assertEquals(1.0 / 3, new Pro.Builder().add(map, mask, 3, 2).compute(0.3), 1e-12);
    }

    @Test
    void tiedScoresMakeOneDiagonalStepInterpolatedAtTheLimit() {
        // Region and two of four normal pixels tie at 0.5: one step from (0,0) to (1/2,1), PRO 0.6 at FPR 0.3.
        float[] map = {0.5f, 0.5f, 0.5f, 0.5f, 0f, 0f};
        boolean[] mask = {T, T, F, F, F, F};
        assertEquals(0.3 * 0.6 / 2 / 0.3, new Pro.Builder().add(map, mask, 3, 2).compute(0.3), 1e-12);
    }

    @Test
    void aPerfectDetectorScoresOne() {
        float[] map = {1f, 0f, 0f, 0f, 2f, 0f};
        boolean[] mask = {T, F, F, F, T, F};
        assertEquals(1.0, new Pro.Builder().add(map, mask, 3, 2).compute(0.3), 1e-12);
    }

    @Test
    void noDefectRegionAnywhereIsNaN() {
        assertEquals(Double.NaN, new Pro.Builder().compute(0.3));
        assertEquals(Double.NaN, new Pro.Builder().add(new float[] {1f, 2f}, new boolean[2], 2, 1)
                .add(new float[] {3f}, new boolean[1], 1, 1).compute(0.3));
    }

    @Test
    void badInputIsRejected() {
        Pro.Builder pro = new Pro.Builder();
        assertThrows(IllegalArgumentException.class, () -> pro.add(new float[6], new boolean[6], 2, 2));
        assertThrows(IllegalArgumentException.class, () -> pro.add(new float[4], new boolean[3], 2, 2));
        pro.add(new float[] {Float.NaN, 0f}, new boolean[] {T, F}, 2, 1);
        assertThrows(IllegalArgumentException.class, () -> pro.compute(0.3));
        assertThrows(IllegalArgumentException.class, () -> pro.compute(0));
        assertThrows(IllegalArgumentException.class, () -> pro.compute(1.5));
    }

    @Test
    void agreesWithAPixelLoopOverEveryThresholdOnRandomImages() {
        SplittableRandom random = new SplittableRandom(5);
        for (int run = 0; run < 1000; run++) {
            List<Image> images = new ArrayList<>();
            int levels = run % 2 == 0 ? 0 : 2 + random.nextInt(5);
            for (int n = random.nextInt(1, 5); n > 0; n--) {
                images.add(randomImage(random, levels));
            }
            double maxFpr = new double[] {0.3, 1.0, 0.05, random.nextDouble(0.01, 1)}[run % 4];
            Pro.Builder pro = new Pro.Builder();
            images.forEach(i -> pro.add(i.map, i.mask, i.width, i.height));
            assertEquals(reference(images, maxFpr), pro.compute(maxFpr), 1e-9, "run " + run);
        }
    }

    private static Image randomImage(SplittableRandom random, int levels) {
        int width = random.nextInt(1, 10);
        int height = random.nextInt(1, 10);
        double density = random.nextInt(3) == 0 ? 0 : random.nextDouble(0.1, 0.7);
        float[] map = new float[width * height];
        boolean[] mask = new boolean[map.length];
        for (int i = 0; i < map.length; i++) {
            mask[i] = random.nextDouble() < density;
            double u = random.nextDouble() + (mask[i] ? 0.3 : 0);
            map[i] = levels > 0 ? (float) Math.floor(u * levels) : (float) u;
        }
        return new Image(map, mask, width, height);
    }

    /**
     * The MVTec AD evaluation written out slowly: regions by union-find over the 8 neighbours, (FPR, PRO) by looping
     * over every pixel at every distinct score, the curve from (0,0), and its trapezoidal integral with the point
     * at maxFpr interpolated between the last point at or below it and the first above it.
     */
    private static double reference(List<Image> images, double maxFpr) {
        List<int[]> regionOf = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        TreeSet<Float> thresholds = new TreeSet<>();
        long normals = 0;
        for (Image image : images) {
            int[] parent = new int[image.map.length];
            for (int i = 0; i < parent.length; i++) {
                parent[i] = i;
                thresholds.add(image.map[i]);
                normals += image.mask[i] ? 0 : 1;
            }
            for (int y = 0; y < image.height; y++) {
                for (int x = 0; x < image.width; x++) {
                    for (int[] d : new int[][] {{1, 0}, {-1, 1}, {0, 1}, {1, 1}}) {
                        int nx = x + d[0];
                        int ny = y + d[1];
                        int p = y * image.width + x;
                        int q = ny * image.width + nx;
                        if (nx >= 0 && nx < image.width && ny < image.height && image.mask[p] && image.mask[q]) {
                            parent[root(parent, p)] = root(parent, q);
                        }
                    }
                }
            }
            int[] region = new int[parent.length];
            int[] idOfRoot = new int[parent.length];
            Arrays.fill(idOfRoot, -1);
            for (int i = 0; i < parent.length; i++) {
                region[i] = -1;
                if (image.mask[i]) {
                    int r = root(parent, i);
                    if (idOfRoot[r] < 0) {
                        idOfRoot[r] = sizes.size();
                        sizes.add(0);
                    }
                    region[i] = idOfRoot[r];
                    sizes.set(region[i], sizes.get(region[i]) + 1);
                }
            }
            regionOf.add(region);
        }
        if (sizes.isEmpty() || normals == 0) {
            return Double.NaN;
        }
        List<double[]> curve = new ArrayList<>();
        curve.add(new double[] {0, 0});
        for (float t : thresholds.descendingSet()) {
            long falsePositives = 0;
            long[] hits = new long[sizes.size()];
            for (int k = 0; k < images.size(); k++) {
                Image image = images.get(k);
                for (int i = 0; i < image.map.length; i++) {
                    if (image.map[i] >= t) {
                        if (image.mask[i]) {
                            hits[regionOf.get(k)[i]]++;
                        } else {
                            falsePositives++;
                        }
                    }
                }
            }
            double overlap = 0;
            for (int r = 0; r < hits.length; r++) {
                overlap += (double) hits[r] / sizes.get(r);
            }
            curve.add(new double[] {(double) falsePositives / normals, overlap / hits.length});
        }
        double area = 0;
        int last = 0; // the last point with FPR <= maxFpr
        while (last + 1 < curve.size() && curve.get(last + 1)[0] <= maxFpr) {
            double[] a = curve.get(last);
            double[] b = curve.get(++last);
            area += (b[0] - a[0]) * (a[1] + b[1]) / 2;
        }
        double[] a = curve.get(last);
        if (a[0] < maxFpr) {
            double[] b = curve.get(last + 1);
            double atLimit = a[1] + (b[1] - a[1]) * (maxFpr - a[0]) / (b[0] - a[0]);
            area += (maxFpr - a[0]) * (a[1] + atLimit) / 2;
        }
        return area / maxFpr;
    }

    private static int root(int[] parent, int i) {
        while (parent[i] != i) {
            i = parent[i];
        }
        return i;
    }
}
