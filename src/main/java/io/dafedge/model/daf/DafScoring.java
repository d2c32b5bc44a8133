package io.dafedge.model.daf;

import java.util.List;

import io.dafedge.model.AnomalyMap;
import io.dafedge.model.FeatureMap;
import io.dafedge.model.Maps;

/**
 * DAF's inference map and image score for one image: {@code A = sum_l up(mean_c D_l) + 3 B}, blurred with sigma 4,
 * scored by the mean of its 50 largest pixels. {@code up} is a bilinear resize (half-pixel centres) to the input
 * size; the reference's {@code nn.Upsample} defaults to nearest, which makes blocky maps before the blur.
 */
public final class DafScoring {
    public static final float SEGMENTATION_WEIGHT = 3;
    public static final double BLUR_SIGMA = 4;
    public static final int TOP_K = 50;

    private DafScoring() {
    }

    /**
     * @param discrepancies {@code D_l} of every level (as {@link Discrepancy#map} gives them)
     * @param segmentation  the decoder's map {@code B}, {@code width x height}, row-major
     */
    public static AnomalyMap score(List<FeatureMap> discrepancies, float[] segmentation, int width, int height) {
        if (segmentation.length != width * height) {
            throw new IllegalArgumentException("segmentation map of " + segmentation.length + " values is not "
                    + width + "x" + height);
        }
        float[] a = discrepancyMap(discrepancies, width, height);
        for (int i = 0; i < a.length; i++) {
            a[i] += SEGMENTATION_WEIGHT * segmentation[i];
        }
        float[] blurred = Maps.gaussianBlur(a, width, height, BLUR_SIGMA);
        return new AnomalyMap(width, height, blurred, Maps.topKMean(blurred, TOP_K));
    }

    /** {@code sum_l up(mean_c D_l)} at {@code width x height}, before the segmentation map and the blur. */
    public static float[] discrepancyMap(List<FeatureMap> discrepancies, int width, int height) {
        float[] sum = new float[width * height];
        for (FeatureMap d : discrepancies) {
            float[] up = Maps.resize(Discrepancy.channelMean(d), d.width(), d.height(), width, height);
            for (int i = 0; i < sum.length; i++) {
                sum[i] += up[i];
            }
        }
        return sum;
    }
}
