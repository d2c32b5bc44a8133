package io.dafedge.model.daf;

import java.util.List;

import io.dafedge.model.AnomalyMap;
import io.dafedge.model.FeatureMap;
import io.dafedge.model.Maps;
import io.dafedge.model.onnx.OnnxGraphBuilder;
import io.dafedge.model.onnx.OnnxWriter.Attribute;

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

    /**
     * {@link #score} for a batch as ONNX ops (operator set 17): {@code map} {@code (N, 1, H, W)} and {@code score}
     * {@code (N)} from the discrepancies {@code (N, C_l, H / s, W / s)} at strides {@code s} = 4, 8, 16 and the
     * segmentation map {@code (N, 1, H, W)}, {@code H = W = side}. Intermediates go into the scope "scoring", the two
     * results are named as asked.
     */
    static void export(OnnxGraphBuilder g, List<String> discrepancies, String segmentation, int side, String map,
                       String score) {
        OnnxGraphBuilder s = g.scope("scoring");
        String sum = null;
        for (int l = 0; l < discrepancies.size(); l++) {
            String level = "level" + (l + 1);
            String mean = s.op("ReduceMean", level + "/mean", List.of(discrepancies.get(l)), Attribute.ints("axes", 1));
            String up = DafNetwork.exportResize(s, level + "/up", mean, side, 4 << l, 1, 1);
            sum = sum == null ? up : s.op("Add", level + "/sum", List.of(sum, up));
        }
        String weighted = s.op("Mul", "segmentation", List.of(segmentation, s.scalar(SEGMENTATION_WEIGHT)));
        String a = s.op("Add", "unblurred", List.of(sum, weighted));
        float[] kernel = Maps.gaussianKernel(BLUR_SIGMA);
        int taps = kernel.length;
        String rows = s.op("Conv", "blur/rows", List.of(mirrorPad(s, "blur/rows/padded", a, 3, taps / 2),
                s.floats("blur/row", new long[] {1, 1, 1, taps}, kernel)));
        String blurred = g.op("Conv", map, List.of(mirrorPad(s, "blur/columns/padded", rows, 2, taps / 2),
                s.floats("blur/column", new long[] {1, 1, taps, 1}, kernel)));
        String flat = s.op("Reshape", "flat", List.of(blurred, s.longs("flat/shape", 0, -1)));
        List<String> top = s.op("TopK", List.of("top", "top/indices"), List.of(flat, s.longs("top/k", TOP_K)),
                Attribute.of("axis", -1L), Attribute.of("largest", 1L), Attribute.of("sorted", 1L));
        g.op("ReduceMean", score, List.of(top.get(0)), Attribute.ints("axes", 1), Attribute.of("keepdims", 0L));
    }

    /**
     * {@code r} pixels added on both sides of {@code axis} the way {@link Maps#gaussianBlur} reads beyond the edge
     * (SciPy's 'reflect': d c b a | a b c d | d c b a). ONNX's Pad has no such mode (its 'reflect' leaves out the edge
     * pixel), so the two mirrored strips are cut with Slice, step -1, and concatenated around the map. Needs
     * {@code r} at most the side.
     */
    private static String mirrorPad(OnnxGraphBuilder g, String out, String x, int axis, int r) {
        String axes = g.longs(out + "/axes", axis);
        String backwards = g.longs(out + "/steps", -1);
        String head = g.op("Slice", out + "/head", List.of(x, g.longs(out + "/head/starts", r - 1),
                g.longs(out + "/head/ends", Long.MIN_VALUE), axes, backwards));
        String tail = g.op("Slice", out + "/tail", List.of(x, g.longs(out + "/tail/starts", -1),
                g.longs(out + "/tail/ends", -1 - r), axes, backwards));
        return g.op("Concat", out, List.of(head, x, tail), Attribute.of("axis", (long) axis));
    }
}
