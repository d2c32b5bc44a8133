package io.dafedge.model.daf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * DAF's per-level distillation loss: the student is pulled towards the teacher only where the image is normal, so
 * it keeps disagreeing on the synthetic defects. {@code mean(1 - cos)} over the normal pixels plus
 * {@code mean(1 - SSIM)} over the normal pixels and channels, pooled over the batch as in the reference.
 *
 * <p>The mask is {@code (N, 1, H, W)} in [0, 1], 1 anomalous; it is resized to the level by nearest neighbour
 * (PyTorch's legacy {@code nearest}) and a pixel counts as normal below 0.5. A batch without normal pixels at a level
 * gives 0 for that level (the reference divides by zero).
 */
public final class DistillationLoss {
    private final DjlDiscrepancy discrepancy;

    public DistillationLoss(Normalisation normalisation) {
        this.discrepancy = new DjlDiscrepancy(normalisation);
    }

    /** Both terms of one level, a scalar. */
    public NDArray level(NDArray student, NDArray teacher, NDArray mask) {
        return cosineTerm(student, teacher, mask).add(ssimTerm(student, teacher, mask));
    }

    /** {@code 1 - mean(cos)} over the normal pixels. */
    public NDArray cosineTerm(NDArray student, NDArray teacher, NDArray mask) {
        NDArray normal = normalPixels(mask, student.getShape());
        NDArray distance = DjlDiscrepancy.cosine(student, teacher).neg().add(1);
        return distance.mul(normal).sum().div(normal.sum().maximum(1));
    }

    /** {@code mean(1 - SSIM)} over the normal pixels and all channels. */
    public NDArray ssimTerm(NDArray student, NDArray teacher, NDArray mask) {
        NDArray normal = normalPixels(mask, student.getShape());
        NDArray distance = discrepancy.ssim(student, teacher).neg().add(1);
        return distance.mul(normal).sum().div(normal.sum().maximum(1).mul(student.getShape().get(1)));
    }

    /** 1 where the mask, resized to the features' height and width, is normal; 0 elsewhere. {@code (N, 1, h, w)}. */
    static NDArray normalPixels(NDArray mask, Shape features) {
        long h = features.get(2);
        long w = features.get(3);
        Shape m = mask.getShape();
        if (m.dimension() != 4 || m.get(1) != 1 || m.get(0) != features.get(0)) {
            throw new IllegalArgumentException("mask " + m + " is not (N, 1, H, W) for features " + features);
        }
        NDArray resized = m.get(2) == h && m.get(3) == w ? mask
                : mask.getNDArrayInternal().interpolation(new long[] {h, w}, 0, false);
        return resized.lt(0.5).toType(DataType.FLOAT32, false);
    }
}
