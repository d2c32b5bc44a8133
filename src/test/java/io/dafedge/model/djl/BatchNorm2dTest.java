package io.dafedge.model.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class BatchNorm2dTest {

    @Test
    void batchNormUsesBatchStatisticsInTrainingAndMovesTheRunningOnesByATenth() {
        try (NDManager m = Djl.newManager()) {
            BatchNorm2d bn = new BatchNorm2d("bn", 2, m);
            // channel 0: values 1..4 (mean 2.5, unbiased variance 5/3); channel 1: all 7
            NDArray x = m.create(new float[] {1, 2, 7, 7, 3, 4, 7, 7}, new Shape(2, 2, 1, 2));
            float[] y = bn.apply(x, true).toFloatArray();
            double sd = Math.sqrt(1.25 + BatchNorm2d.EPS); // biased variance for normalising
            assertEquals((1 - 2.5) / sd, y[0], 1e-4);
            assertEquals((4 - 2.5) / sd, y[5], 1e-4);
            assertEquals(0, y[2], 1e-5, "a constant channel normalises to 0");
            NDList stats = new NDList(bn.parameters().get(2).getArray(), bn.parameters().get(3).getArray());
            assertArrayEquals(new float[] {0.25f, 0.7f}, stats.get(0).toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {0.9f + 0.1f * 5 / 3f, 0.9f}, stats.get(1).toFloatArray(), 1e-6f);
            float[] inference = bn.apply(x, false).toFloatArray();
            assertEquals((4 - 0.25) / Math.sqrt(0.9 + 0.5 / 3 + BatchNorm2d.EPS), inference[5], 1e-4,
                    "inference normalises with the running statistics");
            assertArrayEquals(new float[] {0.25f, 0.7f}, stats.get(0).toFloatArray(), 1e-6f, "and leaves them");
        }
    }
}
