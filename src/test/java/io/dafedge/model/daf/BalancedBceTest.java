package io.dafedge.model.daf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import io.dafedge.model.djl.Djl;
import org.junit.jupiter.api.Test;

/** Hard-negative mining per sample: exactly min(negatives, 3 x positives) negatives, the largest losses. */
class BalancedBceTest {
    private final BalancedBce bce = new BalancedBce();

    @Test
    void keepsThreeNegativesPerPositiveWithTheLargestLosses() {
        Random random = new Random(8);
        float[] p = TestArrays.uniform(random, 64, 0.01f, 0.99f);
        float[] mask = new float[64];
        mask[10] = 1;
        mask[40] = 1;
        try (NDManager m = Djl.newManager()) {
            float[] kept = BalancedBce.hardNegatives(BalancedBce.crossEntropy(m.create(p), m.create(mask)),
                    m.create(mask).gte(0.5)).toFloatArray();
            assertArrayEquals(largestNegativeLosses(p, mask, 6), kept, 1e-6f);
        }
    }

    @Test
    void keepsAllNegativesWhenThereAreFewerThanThreePerPositive() {
        float[] mask = new float[16];
        Arrays.fill(mask, 1);
        mask[3] = 0;
        mask[12] = 0;
        float[] p = TestArrays.uniform(new Random(9), 16, 0.01f, 0.99f);
        try (NDManager m = Djl.newManager()) {
            NDArray kept = BalancedBce.hardNegatives(BalancedBce.crossEntropy(m.create(p), m.create(mask)),
                    m.create(mask).gte(0.5));
            assertEquals(2, kept.size());
        }
        assertEquals(2, BalancedBce.keptNegatives(14, 2));
        assertEquals(0, BalancedBce.keptNegatives(0, 100));
    }

    @Test
    void averagesLossesMinedSeparatelyPerSample() {
        int size = 32;
        float[] mask = TestArrays.rectangles(2, size, new int[][] {{2, 2, 6, 5}, {10, 0, 32, 20}});
        float[] p = TestArrays.uniform(new Random(10), 2 * size * size, 0.001f, 0.999f);
        double expected = 0;
        for (int i = 0; i < 2; i++) {
            float[] ps = Arrays.copyOfRange(p, i * size * size, (i + 1) * size * size);
            float[] ms = Arrays.copyOfRange(mask, i * size * size, (i + 1) * size * size);
            double positives = 0;
            int count = 0;
            for (int j = 0; j < ps.length; j++) {
                if (ms[j] == 1) {
                    positives -= Math.log(ps[j]);
                    count++;
                }
            }
            int kept = (int) Math.min(ps.length - count, 3L * count);
            double negatives = 0;
            for (float v : largestNegativeLosses(ps, ms, kept)) {
                negatives += v;
            }
            expected += (positives + negatives) / (count + kept + 1e-6) / 2;
        }
        try (NDManager m = Djl.newManager()) {
            Shape shape = new Shape(2, 1, size, size);
            assertEquals(expected, bce.loss(m.create(p, shape), m.create(mask, shape)).getFloat(), 1e-5);
        }
    }

    @Test
    void withoutPositivesASampleGivesZeroAndWithoutNegativesTheMeanOfItsPositives() {
        try (NDManager m = Djl.newManager()) {
            Shape shape = new Shape(1, 1, 8, 8);
            NDArray p = m.full(shape, 0.25f);
            assertEquals(0, bce.loss(p, m.zeros(shape)).getFloat());
            assertEquals(-Math.log(0.25), bce.loss(p, m.ones(shape)).getFloat(), 1e-5);
        }
    }

    @Test
    void saturatedPredictionsGiveFiniteLossesAndGradients() {
        try (NDManager m = Djl.newManager()) {
            NDArray p = m.create(new float[] {0, 1, 0, 1}, new Shape(1, 1, 2, 2));
            p.setRequiresGradient(true);
            NDArray mask = m.create(new float[] {1, 0, 0, 1}, new Shape(1, 1, 2, 2));
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                NDArray loss = bce.loss(p, mask);
                assertTrue(Float.isFinite(loss.getFloat()) && loss.getFloat() > 40, "loss " + loss.getFloat());
                gc.backward(loss);
            }
            for (float g : p.getGradient().toFloatArray()) {
                assertTrue(Float.isFinite(g), "gradient " + g);
            }
        }
    }

    /**
     * Confidently wrong logits (-87 on defect pixels, near float's smallest normal after the sigmoid): the gradient
     * reaching the layer before the sigmoid stays small, so summing it over a convolution's pixels cannot overflow.
     */
    @Test
    void confidentlyWrongLogitsGiveBoundedGradients() {
        try (NDManager m = Djl.newManager()) {
            Shape shape = new Shape(2, 1, 64, 64);
            NDArray logits = m.full(shape, -87f);
            logits.setRequiresGradient(true);
            float[] mask = new float[(int) shape.size()];
            java.util.Arrays.fill(mask, 0, 300, 1f);
            java.util.Arrays.fill(mask, 4096, 4400, 1f);
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                NDArray loss = bce.loss(Activation.sigmoid(logits).mul(1f), m.create(mask, shape));
                assertTrue(Float.isFinite(loss.getFloat()), "loss " + loss.getFloat());
                gc.backward(loss.mul(1e3f));
            }
            float max = 0;
            for (float g : logits.getGradient().toFloatArray()) {
                assertTrue(Float.isFinite(g), "gradient " + g);
                max = Math.max(max, Math.abs(g));
            }
            assertTrue(max < 1e3f, "largest logit gradient " + max);
        }
    }

    /** The {@code k} largest BCE values of the negatives (target 0: {@code -log(1 - p)}), largest first. */
    private static float[] largestNegativeLosses(float[] p, float[] mask, int k) {
        List<Float> losses = new ArrayList<>();
        for (int i = 0; i < p.length; i++) {
            if (mask[i] < 0.5f) {
                losses.add((float) -Math.log(1 - (double) p[i]));
            }
        }
        losses.sort((a, b) -> Float.compare(b, a));
        float[] out = new float[k];
        for (int i = 0; i < k; i++) {
            out[i] = losses.get(i);
        }
        return out;
    }
}
