package io.dafedge.model.daf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

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
        double[] taps = SsimWindow.taps();
        float[] window = new float[channels * taps.length];
        for (int i = 0; i < window.length; i++) {
            window[i] = (float) taps[i % taps.length];
        }
        NDArray row = planes.getManager().create(window, new Shape(channels, 1, 1, taps.length));
        NDArray column = row.reshape(channels, 1, taps.length, 1);
        Shape unit = new Shape(1, 1);
        Shape none = new Shape(0, 0);
        NDArray blurred = Conv2d.conv2d(planes, row, null, unit, none, unit, channels).singletonOrThrow();
        return Conv2d.conv2d(blurred, column, null, unit, none, unit, channels).singletonOrThrow();
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
