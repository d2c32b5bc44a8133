package io.dafedge.model.daf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Balanced binary cross-entropy with hard-negative mining (the reference's, from DBNet): per sample, every anomalous
 * pixel counts and only the {@code min(negatives, 3 x positives)} normal pixels with the largest losses, so a
 * small defect is not drowned by the background. Loss of a sample: the kept losses' sum over
 * {@code positives + kept negatives + 1e-6}.
 *
 * <p>Mined per sample and averaged over the batch (each image weighs the same), unlike the reference, whose
 * broadcast of {@code (N, 1, H, W)} against {@code (N, H, W)} mixes the samples of a batch. Edge cases, finite
 * either way: a sample without anomalous pixels keeps no negatives and contributes 0 (the reference's rule: no
 * gradient from defect-free samples); a sample without normal pixels is the mean loss of its positives.
 */
public final class BalancedBce {
    public static final double NEGATIVE_RATIO = 3;
    static final double EPS = 1e-6;
    /**
     * The logarithm's floor, {@code log(Float.MIN_NORMAL) = -87.3}: PyTorch clamps at -100, below float's normal
     * range; a floor on the argument, unlike one on the result, also keeps the gradient finite at 0 and 1.
     */
    private static final float LOG_FLOOR = Float.MIN_NORMAL;

    /** A scalar; {@code prediction} holds probabilities, {@code mask} the targets in [0, 1], both (N, 1, H, W). */
    public NDArray loss(NDArray prediction, NDArray mask) {
        Shape s = prediction.getShape();
        if (!s.equals(mask.getShape()) || s.dimension() != 4 || s.get(1) != 1) {
            throw new IllegalArgumentException("prediction " + s + " and mask " + mask.getShape()
                    + " are not two (N, 1, H, W) arrays of one shape");
        }
        NDArray bce = crossEntropy(prediction, mask);
        NDList perSample = new NDList();
        for (int i = 0; i < s.get(0); i++) {
            perSample.add(sample(bce.get(i).flatten(), mask.get(i).flatten().gte(0.5)));
        }
        return NDArrays.stack(perSample).mean();
    }

    /** Element-wise BCE, {@code -(m log p + (1 - m) log(1 - p))}. */
    static NDArray crossEntropy(NDArray p, NDArray m) {
        NDArray logP = p.maximum(LOG_FLOOR).log();
        NDArray logQ = p.neg().add(1).maximum(LOG_FLOOR).log();
        return m.mul(logP).add(m.neg().add(1).mul(logQ)).neg();
    }

    /** How many negatives the mining keeps. */
    static long keptNegatives(long positives, long negatives) {
        return Math.min(negatives, (long) (positives * NEGATIVE_RATIO));
    }

    /** The losses of the negatives kept for one sample, largest first; empty when none is kept. */
    static NDArray hardNegatives(NDArray losses, NDArray positive) {
        long positives = positive.toType(DataType.INT64, false).sum().getLong();
        long kept = keptNegatives(positives, losses.size() - positives);
        NDArray negatives = losses.booleanMask(positive.logicalNot());
        return kept == 0 ? negatives.get("0:0") : negatives.topK((int) kept, 0).get(0);
    }

    private static NDArray sample(NDArray losses, NDArray positive) {
        NDArray positives = losses.booleanMask(positive);
        NDArray negatives = hardNegatives(losses, positive);
        return positives.sum().add(negatives.sum()).div((float) (positives.size() + negatives.size() + EPS));
    }
}
