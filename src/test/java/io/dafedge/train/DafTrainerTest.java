package io.dafedge.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.LinkedHashMap;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
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

    @Test
    void namesTheFirstParameterWithANonFiniteGradient() {
        try (NDManager m = Djl.newManager()) {
            Map<String, Parameter> parameters = new LinkedHashMap<>();
            for (String name : new String[] {"a", "b", "c"}) {
                Parameter p = Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).build();
                p.setArray(m.create(new float[] {-1f, 4f}));
                p.getArray().setRequiresGradient(true);
                parameters.put(name, p);
            }
            try (NDManager step = m.newSubManager(); GradientCollector gc = m.getEngine().newGradientCollector()) {
                NDArray loss = parameters.get("a").getArray().mul(2).sum()
                        .add(parameters.get("b").getArray().sqrt().sum()) // NaN at -1
                        .add(parameters.get("c").getArray().sqrt().sum());
                gc.backward(loss);
                assertEquals("gradient of b", DafTrainer.nonFiniteGradient(parameters, step));
            }
            parameters.values().forEach(p -> DafTrainer.clear(p.getArray().getGradient()));
            try (NDManager step = m.newSubManager()) {
                assertNull(DafTrainer.nonFiniteGradient(parameters, step));
            }
        }
    }
}
