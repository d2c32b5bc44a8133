package io.dafedge.model.daf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import io.dafedge.model.djl.Djl;
import org.junit.jupiter.api.Test;

/** The total is the sum of its terms, and a backward pass reaches the student and every head. */
class DafLossTest {
    private static final int[][] LEVELS = {{24, 64, 64}, {32, 32, 32}, {96, 16, 16}};

    @Test
    void backwardGivesFiniteNonZeroGradientsToStudentDecoderAndBoostHeads() {
        Random random = new Random(12);
        try (NDManager m = Djl.newManager()) {
            List<NDArray> student = new ArrayList<>();
            List<NDArray> teacher = new ArrayList<>();
            List<NDArray> boostLogits = new ArrayList<>();
            for (int[] l : LEVELS) {
                Shape shape = new Shape(2, l[0], l[1], l[2]);
                student.add(m.create(TestArrays.gaussian(random, (int) shape.size(), 1), shape));
                teacher.add(m.create(TestArrays.gaussian(random, (int) shape.size(), 1), shape));
                boostLogits.add(m.create(TestArrays.gaussian(random, 2 * l[1] * l[2], 1), new Shape(2, 1, l[1], l[2])));
            }
            Shape full = new Shape(2, 1, 256, 256);
            NDArray segmentationLogits = m.create(TestArrays.gaussian(random, (int) full.size(), 1), full);
            NDArray mask = m.create(TestArrays.rectangles(2, 256, new int[][] {{30, 40, 100, 90}, {0, 200, 60, 256}}),
                    full);
            List<NDArray> trained = new ArrayList<>(student);
            trained.addAll(boostLogits);
            trained.add(segmentationLogits);
            trained.forEach(a -> a.setRequiresGradient(true));

            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                DafLoss.Terms terms = new DafLoss(Normalisation.MIN_MAX).compute(student, teacher,
                        Activation.sigmoid(segmentationLogits),
                        boostLogits.stream().map(Activation::sigmoid).toList(), mask);
                float sum = terms.segmentation().getFloat() + terms.boost().getFloat();
                for (NDArray level : terms.levels()) {
                    sum += level.getFloat();
                }
                assertEquals(3, terms.levels().size());
                assertEquals(sum, terms.total().getFloat(), 1e-4);
                gc.backward(terms.total());
            }
            for (NDArray a : trained) {
                float[] g = a.getGradient().toFloatArray();
                double norm = 0;
                for (float v : g) {
                    assertTrue(Float.isFinite(v), "finite gradient for " + a.getShape());
                    norm += Math.abs(v);
                }
                assertTrue(norm > 0, "non-zero gradient for " + a.getShape());
            }
        }
    }
}
