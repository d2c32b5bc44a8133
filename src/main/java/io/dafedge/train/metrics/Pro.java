package io.dafedge.train.metrics;

import io.dafedge.model.ConnectedComponents;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The area under the per-region-overlap (PRO) curve of MVTec AD (Bergmann et al., IJCV 2021), over a whole test set.
 * <p>
 * Regions are the 8-connected components of each image's ground-truth mask (pixels touching by an edge or a corner
 * belong to one region). For a threshold t, PRO(t) is the mean over all regions of all images of the fraction of the
 * region's pixels scoring &gt;= t, and FPR(t) is the fraction of all pixels outside the masks, of all images,
 * scoring &gt;= t. The curve is taken exactly, at every distinct score as threshold, as the MVTec AD evaluation code
 * does: it starts at (0, 0), and tied scores form one point. Its area from FPR 0 to {@code maxFpr} is summed with
 * trapezoids, the curve interpolated linearly at FPR = {@code maxFpr}, and divided by {@code maxFpr}, so that a
 * perfect detector gives 1.
 */
public final class Pro {
    /** The integration limit of the MVTec AD benchmark. */
    public static final double MVTEC_MAX_FPR = 0.3;

    private Pro() {
    }

    /**
     * Collects the test images, then computes. It keeps the arrays it is given, not copies: they must not change
     * before {@link #compute}. The work happens in {@code compute}; its extra memory grows with the defect pixels
     * only (at most about 48 bytes each), plus at most 8 MB for a block of normal pixels.
     */
    public static final class Builder {
        private record Image(float[] map, boolean[] mask, int width, int height, int defects) {
        }

        private final List<Image> images = new ArrayList<>();
        private long defectPixels;
        private long normalPixels;

        /**
         * Adds one test image: its anomaly map and ground-truth mask (true = defect), row-major, {@code width} x
         * {@code height}. A defect-free image has an all-false mask and contributes normal pixels only. Images may
         * differ in size.
         *
         * @throws IllegalArgumentException if an array does not hold width x height values
         */
        public Builder add(float[] map, boolean[] mask, int width, int height) {
            if (width <= 0 || height <= 0 || map.length != (long) width * height || mask.length != map.length) {
                throw new IllegalArgumentException("map of " + map.length + " and mask of " + mask.length
                        + " values for a " + width + "x" + height + " image");
            }
            int defects = 0;
            for (boolean defect : mask) {
                if (defect) {
                    defects++;
                }
            }
            images.add(new Image(map, mask, width, height, defects));
            defectPixels += defects;
            normalPixels += map.length - defects;
            return this;
        }

        /**
         * The normalised area under the PRO curve for FPR in [0, maxFpr] ({@link #MVTEC_MAX_FPR} for the benchmark).
         *
         * @return the area in [0, 1], or NaN when no image has a defect region or no pixel is normal
         * @throws IllegalArgumentException if maxFpr is not in (0, 1] or a map holds NaN
         */
        public double compute(double maxFpr) {
            if (!(maxFpr > 0 && maxFpr <= 1)) {
                throw new IllegalArgumentException("maxFpr " + maxFpr + " is not in (0, 1]");
            }
            if (defectPixels == 0 || normalPixels == 0) {
                return Double.NaN;
            }
            // Each defect pixel as its key above its region, so that one sort orders them by score.
            long[] defects = new long[Math.toIntExact(defectPixels)];
            int[] regionSizes = new int[16];
            int regions = 0;
            int d = 0;
            for (Image image : images) {
                if (image.defects() == 0) {
                    continue;
                }
                int[] labels = new int[image.map().length];
                int count = ConnectedComponents.label(image.mask(), image.width(), image.height(), labels);
                if (regions + count > regionSizes.length) {
                    regionSizes = Arrays.copyOf(regionSizes, Math.max(2 * regionSizes.length, regions + count));
                }
                for (int i = 0; i < labels.length; i++) {
                    if (labels[i] > 0) {
                        int region = regions + labels[i] - 1;
                        regionSizes[region]++;
                        defects[d++] = (long) ScoreKeys.of(image.map()[i]) << 32 | region;
                    }
                }
                regions += count;
            }
            Arrays.sort(defects);
            int[] keys = new int[defects.length];
            for (int i = 0; i < defects.length; i++) {
                keys[i] = (int) (defects[i] >> 32);
            }
            ScoreBins bins = new ScoreBins(keys, (int) Math.min(Integer.MAX_VALUE, normalPixels));
            // What each distinct defect score adds to the sum of region overlaps once the threshold reaches it.
            double[] overlapGain = new double[bins.valueCount()];
            for (int i = 0, k = -1; i < defects.length; i++) {
                if (i == 0 || keys[i] != keys[i - 1]) {
                    k++;
                }
                overlapGain[k] += 1.0 / regionSizes[(int) defects[i]];
            }
            for (Image image : images) {
                for (int i = 0; i < image.map().length; i++) {
                    if (!image.mask()[i]) {
                        bins.addNegative(ScoreKeys.of(image.map()[i]));
                    }
                }
            }
            return area(bins.sweep(), overlapGain, regions, maxFpr);
        }

        private double area(ScoreBins.Sweep sweep, double[] overlapGain, int regions, double maxFpr) {
            double overlap = 0;
            double fpr = 0;
            double pro = 0;
            double area = 0;
            while (fpr < maxFpr && sweep.next()) {
                double fpr0 = fpr;
                double pro0 = pro;
                if (sweep.value() >= 0) {
                    overlap += overlapGain[sweep.value()];
                }
                fpr = sweep.falsePositives() / (double) normalPixels;
                pro = overlap / regions;
                if (fpr > maxFpr) { // the segment crosses the limit: cut it there
                    pro = pro0 + (pro - pro0) * (maxFpr - fpr0) / (fpr - fpr0);
                    fpr = maxFpr;
                }
                area += (fpr - fpr0) * (pro + pro0) / 2;
            }
            return area / maxFpr;
        }
    }
}
