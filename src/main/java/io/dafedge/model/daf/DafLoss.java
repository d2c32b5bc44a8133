package io.dafedge.model.daf;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * DAF's training objective: the distillation loss of every level, the balanced BCE of the segmentation map and the
 * summed balanced BCE of the boost heads (each upsampled bilinearly to the mask's size), all added with weight 1.
 */
public final class DafLoss {
    private final DistillationLoss distillation;
    private final BalancedBce bce = new BalancedBce();

    public DafLoss(Normalisation normalisation) {
        this.distillation = new DistillationLoss(normalisation);
    }

    /** The terms and their sum, each a scalar. */
    public record Terms(List<NDArray> levels, NDArray segmentation, NDArray boost, NDArray total) {
    }

    /**
     * @param student      the student's features, one {@code (N, C_l, H_l, W_l)} array per level
     * @param teacher      the teacher's, same shapes, without gradient
     * @param segmentation the decoder's map B, probabilities {@code (N, 1, H, W)}
     * @param boosts       the boost heads' maps, probabilities {@code (N, 1, H_l, W_l)}
     * @param mask         the anomaly mask {@code (N, 1, H, W)}, 1 anomalous
     */
    public Terms compute(List<NDArray> student, List<NDArray> teacher, NDArray segmentation, List<NDArray> boosts,
                         NDArray mask) {
        if (student.size() != teacher.size()) {
            throw new IllegalArgumentException(student.size() + " student levels against " + teacher.size());
        }
        NDArray segmentationLoss = bce.loss(segmentation, mask);
        Shape s = mask.getShape();
        NDArray boost = mask.getManager().create(0f);
        for (NDArray head : boosts) {
            NDArray up = head.getNDArrayInternal().interpolation(new long[] {s.get(2), s.get(3)}, 1, false);
            boost = boost.add(bce.loss(up, mask));
        }
        NDArray total = segmentationLoss.add(boost);
        List<NDArray> levels = new ArrayList<>();
        for (int l = 0; l < student.size(); l++) {
            NDArray level = distillation.level(student.get(l), teacher.get(l), mask);
            levels.add(level);
            total = total.add(level);
        }
        return new Terms(List.copyOf(levels), segmentationLoss, boost, total);
    }
}
