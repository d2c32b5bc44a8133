package io.dafedge.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.dafedge.model.djl.Djl;
import org.junit.jupiter.api.Test;

class DafTrainerTest {

    /** The collector accumulates into the weight's gradient; a cleared NaN gradient must not leak into the next step. */
    @Test
    void clearingANonFiniteGradientLeavesTheNextStepClean() {
        try (NDManager m = Djl.newManager()) {
            NDArray w = m.create(new float[] {-1f, 4f});
            w.setRequiresGradient(true);
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                gc.backward(w.sqrt().sum()); // d sqrt(w) at -1 is NaN
            }
            DafTrainer.clear(w.getGradient());
            assertArrayEquals(new float[] {0f, 0f}, w.getGradient().toFloatArray());
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                gc.backward(w.mul(3).sum());
            }
            assertArrayEquals(new float[] {3f, 3f}, w.getGradient().toFloatArray());
        }
    }
}
