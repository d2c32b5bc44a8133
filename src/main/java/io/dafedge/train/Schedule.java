package io.dafedge.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dafedge.model.ModelBundle;

/**
 * DAF's learning-rate schedule as a function of training progress (0 at the first step, 1 at the end of the budget,
 * whether the budget is epochs or minutes): linear warm-up from a small fraction of the base rate, then the base
 * rate, multiplied by {@code decay} at each of the decay points. The reference's 1200-epoch schedule has warm-up
 * over 50 epochs and decays x0.2 at epochs 650 and 950; the defaults keep those proportions.
 */
public record Schedule(float learningRate, double warmUp, double[] decayAt, float decay) {
    public static final double REFERENCE_WARM_UP = 50.0 / 1200;
    public static final double[] REFERENCE_DECAY_AT = {650.0 / 1200, 950.0 / 1200};
    public static final float REFERENCE_DECAY = 0.2f;

    public Schedule {
        if (!(learningRate > 0) || warmUp < 0 || warmUp >= 1) {
            throw new IllegalArgumentException("learning rate must be > 0 and warm-up in [0, 1)");
        }
        decayAt = decayAt.clone();
    }

    /** The reference's proportions at {@code learningRate}. */
    public static Schedule reference(float learningRate) {
        return new Schedule(learningRate, REFERENCE_WARM_UP, REFERENCE_DECAY_AT, REFERENCE_DECAY);
    }

    /**
     * The rate at {@code progress} in [0, 1]. Warm-up starts from 1 % of the rate rather than 0: the reference's
     * scheduler spends its whole first epoch at 0, which a budget of minutes cannot afford.
     */
    public float at(double progress) {
        double p = Math.min(1, Math.max(0, progress));
        if (p < warmUp) {
            return (float) (learningRate * (0.01 + 0.99 * p / warmUp));
        }
        float lr = learningRate;
        for (double d : decayAt) {
            if (p >= d) {
                lr *= decay;
            }
        }
        return lr;
    }

    ObjectNode toJson() {
        ObjectNode n = ModelBundle.JSON.createObjectNode();
        n.put("optimizer", "AdamW");
        n.put("learning_rate", learningRate);
        n.put("warm_up_fraction", warmUp);
        var points = n.putArray("decay_at_fraction");
        for (double d : decayAt) {
            points.add(d);
        }
        n.put("decay_factor", decay);
        return n;
    }
}
