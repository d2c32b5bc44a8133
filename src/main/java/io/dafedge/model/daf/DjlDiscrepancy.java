package io.dafedge.model.daf;

import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import io.dafedge.model.onnx.OnnxGraphBuilder;
import io.dafedge.model.onnx.OnnxWriter.Attribute;

/**
 * DAF's discrepancy on {@code (N, C, H, W)} batches, differentiable for training: the same formulas as
 * {@link Discrepancy}, in float. Intermediates belong to the input's manager: call it inside a per-step
 * sub-manager.
 */
public final class DjlDiscrepancy {
    private final Normalisation normalisation;

    public DjlDiscrepancy(Normalisation normalisation) {
        this.normalisation = normalisation;
    }

    /** {@code D = (1 - SSIM(n(S), n(T))) + (1 - cos_c(S, T))}, {@code (N, C, H, W)}. */
    public NDArray map(NDArray student, NDArray teacher) {
        return ssim(student, teacher).neg().add(1).add(cosine(student, teacher).neg().add(1));
    }

    /** Per-channel SSIM index map of the normalised, reflect-padded features, {@code (N, C, H, W)}. */
    public NDArray ssim(NDArray student, NDArray teacher) {
        requireSameShape(student, teacher);
        Shape s = student.getShape();
        long n = s.get(0);
        long c = s.get(1);
        NDArray x = normalisedPadded(student);
        NDArray y = normalisedPadded(teacher);
        // Moments of the maps less their channel means: the same SSIM, but the variances no longer come from the
        // difference of two large float terms, which cost up to 1e-5 against the double reference.
        NDArray cx = channelMean(x);
        NDArray cy = channelMean(y);
        NDArray xc = x.sub(cx);
        NDArray yc = y.sub(cy);
        // all five moments in one pair of depthwise convolutions (on this CPU 4x faster than the same planes
        // stacked along the batch axis through a single-channel kernel)
        NDArray planes = NDArrays.concat(new NDList(xc, yc, xc.square(), yc.square(), xc.mul(yc)));
        NDArray m = blurValid(planes).reshape(5, n, c, s.get(2), s.get(3));
        NDArray mc1 = m.get(0);
        NDArray mc2 = m.get(1);
        NDArray mu1 = mc1.add(cx);
        NDArray mu2 = mc2.add(cy);
        NDArray mu12 = mu1.mul(mu2);
        float c1 = (float) SsimWindow.C1;
        float c2 = (float) SsimWindow.C2;
        NDArray luminance = mu12.mul(2).add(c1).div(mu1.square().add(mu2.square()).add(c1));
        NDArray covariance = m.get(4).sub(mc1.mul(mc2));
        NDArray variances = m.get(2).sub(mc1.square()).add(m.get(3).sub(mc2.square()));
        return luminance.mul(covariance.mul(2).add(c2).div(variances.add(c2)));
    }

    private static NDArray channelMean(NDArray f) {
        Shape s = f.getShape();
        return f.reshape(s.get(0), s.get(1), -1).mean(new int[] {2}).reshape(s.get(0), s.get(1), 1, 1);
    }

    /** Cosine similarity over channels, {@code (N, 1, H, W)}, guarded like PyTorch's against zero vectors. */
    public static NDArray cosine(NDArray student, NDArray teacher) {
        int[] channels = {1};
        NDArray st = student.mul(teacher).sum(channels, true);
        NDArray ss = student.square().sum(channels, true);
        NDArray tt = teacher.square().sum(channels, true);
        return st.div(ss.mul(tt).maximum((float) (Discrepancy.COSINE_EPS * Discrepancy.COSINE_EPS)).sqrt());
    }

    private NDArray normalisedPadded(NDArray f) {
        Shape s = f.getShape();
        NDArray flat = f.reshape(s.get(0), s.get(1), -1);
        int[] pixels = {2};
        Shape perChannel = new Shape(s.get(0), s.get(1), 1, 1);
        NDArray min = flat.min(pixels, true).reshape(perChannel);
        NDArray max = flat.max(pixels, true).reshape(perChannel);
        return reflectPad(reflectPad(normalisation.apply(f, min, max), 2), 3);
    }

    /** PyTorch's 'reflect' padding by {@link SsimWindow#PAD} along one axis: mirrored slices around the map. */
    private static NDArray reflectPad(NDArray f, int axis) {
        long size = f.getShape().get(axis);
        NDArray head = f.get(new NDIndex().addAllDim(axis).addSliceDim(1, SsimWindow.PAD + 1)).flip(axis);
        NDArray tail = f.get(new NDIndex().addAllDim(axis).addSliceDim(size - 1 - SsimWindow.PAD, size - 1))
                .flip(axis);
        return NDArrays.concat(new NDList(head, f, tail), axis);
    }

    /** Separable valid Gaussian convolution of every channel of {@code (B, C, H + 2 PAD, W + 2 PAD)} to {@code H x W}. */
    private static NDArray blurValid(NDArray planes) {
        int channels = (int) planes.getShape().get(1);
        int taps = SsimWindow.SIZE;
        NDArray row = planes.getManager().create(window(channels), new Shape(channels, 1, 1, taps));
        NDArray column = row.reshape(channels, 1, taps, 1);
        Shape unit = new Shape(1, 1);
        Shape none = new Shape(0, 0);
        NDArray blurred = Conv2d.conv2d(planes, row, null, unit, none, unit, channels).singletonOrThrow();
        return Conv2d.conv2d(blurred, column, null, unit, none, unit, channels).singletonOrThrow();
    }

    /**
     * {@link #map} as ONNX ops (operator set 17), step for step, on student and teacher values of one shape with
     * {@code channels} channels; returns D's name. The five moment planes are stacked along the batch axis and
     * split apart again, as here.
     */
    String export(OnnxGraphBuilder g, String student, String teacher, int channels) {
        String one = g.scalar(1);
        String ssim = exportSsim(g.scope("ssim"), student, teacher, channels);
        String cosine = exportCosine(g.scope("cosine"), student, teacher);
        return g.op("Add", "d", List.of(g.op("Sub", "one_minus_ssim", List.of(one, ssim)),
                g.op("Sub", "one_minus_cosine", List.of(one, cosine))));
    }

    private String exportSsim(OnnxGraphBuilder g, String student, String teacher, int channels) {
        String x = exportNormalisedPadded(g, "x", student);
        String y = exportNormalisedPadded(g, "y", teacher);
        Attribute pixels = Attribute.ints("axes", 2, 3);
        String cx = g.op("ReduceMean", "cx", List.of(x), pixels);
        String cy = g.op("ReduceMean", "cy", List.of(y), pixels);
        String xc = g.op("Sub", "xc", List.of(x, cx));
        String yc = g.op("Sub", "yc", List.of(y, cy));
        String planes = g.op("Concat", "planes", List.of(xc, yc, g.op("Mul", "xc_squared", List.of(xc, xc)),
                g.op("Mul", "yc_squared", List.of(yc, yc)), g.op("Mul", "xc_yc", List.of(xc, yc))),
                Attribute.of("axis", 0L));
        float[] window = window(channels);
        int taps = SsimWindow.SIZE;
        Attribute depthwise = Attribute.of("group", (long) channels);
        String rows = g.op("Conv", "blur/rows", List.of(planes,
                g.floats("blur/row", new long[] {channels, 1, 1, taps}, window)), depthwise);
        String blurred = g.op("Conv", "blur", List.of(rows,
                g.floats("blur/column", new long[] {channels, 1, taps, 1}, window)), depthwise);
        List<String> m = g.op("Split", List.of("mc1", "mc2", "m3", "m4", "m5"), List.of(blurred),
                Attribute.of("axis", 0L));
        String mc1 = m.get(0);
        String mc2 = m.get(1);
        String mu1 = g.op("Add", "mu1", List.of(mc1, cx));
        String mu2 = g.op("Add", "mu2", List.of(mc2, cy));
        String mu12 = g.op("Mul", "mu12", List.of(mu1, mu2));
        String two = g.scalar(2);
        String c1 = g.scalar((float) SsimWindow.C1);
        String c2 = g.scalar((float) SsimWindow.C2);
        String luminance = g.op("Div", "luminance", List.of(
                g.op("Add", "luminance/num", List.of(g.op("Mul", "mu12_twice", List.of(mu12, two)), c1)),
                g.op("Add", "luminance/den", List.of(g.op("Add", "mu_squares", List.of(
                        g.op("Mul", "mu1_squared", List.of(mu1, mu1)), g.op("Mul", "mu2_squared", List.of(mu2, mu2)))),
                        c1))));
        String covariance = g.op("Sub", "covariance", List.of(m.get(4), g.op("Mul", "mc1mc2", List.of(mc1, mc2))));
        String variances = g.op("Add", "variances", List.of(
                g.op("Sub", "var1", List.of(m.get(2), g.op("Mul", "mc1_squared", List.of(mc1, mc1)))),
                g.op("Sub", "var2", List.of(m.get(3), g.op("Mul", "mc2_squared", List.of(mc2, mc2))))));
        String structure = g.op("Div", "structure", List.of(
                g.op("Add", "structure/num", List.of(g.op("Mul", "covariance_twice", List.of(covariance, two)), c2)),
                g.op("Add", "structure/den", List.of(variances, c2))));
        return g.op("Mul", "index", List.of(luminance, structure));
    }

    private String exportNormalisedPadded(OnnxGraphBuilder g, String out, String f) {
        Attribute pixels = Attribute.ints("axes", 2, 3);
        String min = g.op("ReduceMin", out + "/min", List.of(f), pixels);
        String max = g.op("ReduceMax", out + "/max", List.of(f), pixels);
        String normalised = normalisation.export(g, out + "/normalised", f, min, max);
        long p = SsimWindow.PAD;
        return g.op("Pad", out, List.of(normalised, g.longs(out + "/pads", 0, 0, p, p, 0, 0, p, p)),
                Attribute.of("mode", "reflect"));
    }

    private static String exportCosine(OnnxGraphBuilder g, String student, String teacher) {
        String channels = g.longs("axis", 1);
        String st = g.op("ReduceSum", "st", List.of(g.op("Mul", "st_products", List.of(student, teacher)), channels));
        String ss = g.op("ReduceSum", "ss", List.of(g.op("Mul", "ss_products", List.of(student, student)), channels));
        String tt = g.op("ReduceSum", "tt", List.of(g.op("Mul", "tt_products", List.of(teacher, teacher)), channels));
        String guarded = g.op("Max", "guarded", List.of(g.op("Mul", "ss_tt", List.of(ss, tt)),
                g.scalar((float) (Discrepancy.COSINE_EPS * Discrepancy.COSINE_EPS))));
        return g.op("Div", "cosine", List.of(st, g.op("Sqrt", "norms", List.of(guarded))));
    }

    /** The SSIM window in float, once per channel, for a depthwise convolution. */
    private static float[] window(int channels) {
        double[] taps = SsimWindow.taps();
        float[] window = new float[channels * taps.length];
        for (int i = 0; i < window.length; i++) {
            window[i] = (float) taps[i % taps.length];
        }
        return window;
    }

    private static void requireSameShape(NDArray student, NDArray teacher) {
        Shape s = student.getShape();
        if (!s.equals(teacher.getShape()) || s.dimension() != 4) {
            throw new IllegalArgumentException("student " + s + " and teacher " + teacher.getShape()
                    + " are not two (N, C, H, W) arrays of one shape");
        }
        SsimWindow.requirePaddable(s.get(2), s.get(3));
    }
}
