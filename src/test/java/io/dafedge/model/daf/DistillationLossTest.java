package io.dafedge.model.daf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.dafedge.model.FeatureMap;
import io.dafedge.model.djl.Djl;
import org.junit.jupiter.api.Test;

/** The masked cosine and SSIM losses against sums over the normal pixels computed here. */
class DistillationLossTest {
    private static final int SIZE = 256;

    @Test
    void equalsMeansOverTheNormalPixelsOfTheBatch() {
        float[] mask = TestArrays.rectangles(2, SIZE, new int[][] {{10, 20, 90, 70}, {150, 100, 250, 255}});
        Random random = new Random(2);
        DistillationLoss loss = new DistillationLoss(Normalisation.MIN_MAX);
        Discrepancy plain = new Discrepancy(Normalisation.MIN_MAX);
        try (NDManager m = Djl.newManager()) {
            NDArray maskArray = m.create(mask, new Shape(2, 1, SIZE, SIZE));
            Shape shape = new Shape(2, 32, 32, 32);
            NDArray s = m.create(TestArrays.gaussian(random, (int) shape.size(), 1), shape);
            NDArray t = m.create(TestArrays.gaussian(random, (int) shape.size(), 1), shape);
            double cosSum = 0;
            double ssimSum = 0;
            int normal = 0;
            for (int i = 0; i < 2; i++) {
                FeatureMap fs = TestArrays.sample(s, i);
                FeatureMap ft = TestArrays.sample(t, i);
                float[] cos = Discrepancy.cosine(fs, ft);
                float[] ssim = plain.ssim(fs, ft).data();
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        // PyTorch's legacy nearest: source index floor(dst * 256 / 32)
                        if (mask[(i * SIZE + y * 8) * SIZE + x * 8] < 0.5f) {
                            normal++;
                            cosSum += 1 - cos[y * 32 + x];
                            for (int c = 0; c < 32; c++) {
                                ssimSum += 1 - ssim[(c * 32 + y) * 32 + x];
                            }
                        }
                    }
                }
            }
            float cosTerm = loss.cosineTerm(s, t, maskArray).getFloat();
            float ssimTerm = loss.ssimTerm(s, t, maskArray).getFloat();
            assertEquals(cosSum / normal, cosTerm, 1e-5);
            assertEquals(ssimSum / (32.0 * normal), ssimTerm, 1e-5);
            assertEquals(cosTerm + ssimTerm, loss.level(s, t, maskArray).getFloat(), 1e-6);
        }
    }

    @Test
    void aMaskWithoutNormalPixelsGivesZero() {
        try (NDManager m = Djl.newManager()) {
            Shape shape = new Shape(1, 4, 16, 16);
            Random random = new Random(4);
            NDArray s = m.create(TestArrays.gaussian(random, (int) shape.size(), 1), shape);
            NDArray t = m.create(TestArrays.gaussian(random, (int) shape.size(), 1), shape);
            NDArray allAnomalous = m.ones(new Shape(1, 1, 64, 64));
            assertEquals(0, new DistillationLoss(Normalisation.MIN_MAX).level(s, t, allAnomalous).getFloat());
        }
    }

    @Test
    void theMaskIsResizedByLegacyNearestNeighbour() {
        float[] mask = new float[SIZE * SIZE];
        mask[4 * SIZE + 4] = 1;
        mask[6 * SIZE + 9] = 1;
        try (NDManager m = Djl.newManager()) {
            NDArray resized = DistillationLoss.normalPixels(m.create(mask, new Shape(1, 1, SIZE, SIZE)),
                    new Shape(1, 8, 64, 64));
            float[] expected = new float[64 * 64];
            Arrays.fill(expected, 1);
            expected[64 + 1] = 0; // (4, 4) is sampled by (1, 1); (6, 9) falls between samples
            assertArrayEquals(expected, resized.toFloatArray());
        }
    }
}
