package io.dafedge.model.daf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import io.dafedge.model.djl.Djl;
import io.dafedge.synth.TestImages;
import org.junit.jupiter.api.Test;

/** DAF's own layers: shapes from the teacher's widths, the exact transposed convolution, PyTorch's BN semantics. */
class DafNetworkTest {
    @Test
    void shapesFollowTheTeacherChannelsAtAnyInputSize() throws Exception {
        Path shared = TestImages.shared();
        assumeTrue(shared != null, "../shared not present");
        Path teacher = TestImages.teacher();
        Random random = new Random(3);
        try (NDManager m = Djl.newManager()) {
            DafNetwork net = DafNetwork.create(teacher, Normalisation.MIN_MAX, 1, m);
            assertArrayEquals(new int[] {24, 32, 96}, net.channels());
            for (int side : new int[] {128, 96}) {
                NDArray x = m.create(TestArrays.gaussian(random, 2 * 3 * side * side, 1), new Shape(2, 3, side, side));
                List<NDArray> t = new ArrayList<>();
                for (int l = 0; l < 3; l++) {
                    int s = side >> (2 + l);
                    int c = net.channels()[l];
                    t.add(m.create(TestArrays.gaussian(random, 2 * c * s * s, 1), new Shape(2, c, s, s)));
                }
                DafNetwork.Output out = net.forward(x, t, true);
                assertEquals(new Shape(2, 1, side, side), out.segmentation().getShape());
                for (int l = 0; l < 3; l++) {
                    assertEquals(t.get(l).getShape(), out.student().get(l).getShape());
                    assertEquals(t.get(l).getShape(), out.discrepancies().get(l).getShape());
                    int s = side >> (2 + l);
                    assertEquals(new Shape(2, 1, s, s), out.boosts().get(l).getShape());
                }
                float[] b = out.segmentation().toFloatArray();
                for (float v : b) {
                    assertTrue(v > 0 && v < 1, "sigmoid output " + v);
                }
            }
        }
    }

    /** A transposed conv k2 s2 computed pixel by pixel, against the 1x1 conv + depth-to-space the network uses. */
    @Test
    void transposedConvolutionIsAOneByOneConvolutionAndDepthToSpace() {
        int in = 3;
        int out = 2;
        int h = 4;
        int w = 5;
        Random random = new Random(9);
        float[] x = TestArrays.gaussian(random, in * h * w, 1);
        float[] wt = TestArrays.gaussian(random, in * out * 4, 1); // PyTorch layout (in, out, 2, 2)
        float[] w1 = new float[out * 4 * in]; // (4 out, in, 1, 1), channel 4o + 2a + b
        for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) {
                for (int k = 0; k < 4; k++) {
                    w1[(o * 4 + k) * in + i] = wt[(i * out + o) * 4 + k];
                }
            }
        }
        float[] expected = new float[out * 2 * h * 2 * w];
        for (int o = 0; o < out; o++) {
            for (int yy = 0; yy < 2 * h; yy++) {
                for (int xx = 0; xx < 2 * w; xx++) {
                    double sum = 0;
                    for (int i = 0; i < in; i++) {
                        sum += x[(i * h + yy / 2) * w + xx / 2] * wt[((i * out + o) * 2 + yy % 2) * 2 + xx % 2];
                    }
                    expected[(o * 2 * h + yy) * 2 * w + xx] = (float) sum;
                }
            }
        }
        try (NDManager m = Djl.newManager()) {
            NDArray conv = Conv2d.conv2d(m.create(x, new Shape(1, in, h, w)), m.create(w1, new Shape(4 * out, in, 1, 1)),
                    null).singletonOrThrow();
            NDArray y = DafNetwork.depthToSpace(conv);
            assertEquals(new Shape(1, out, 2 * h, 2 * w), y.getShape());
            assertArrayEquals(expected, y.toFloatArray(), 1e-5f);
        }
    }

    /**
     * The decoder's bilinear shrink (fused map to stride 16) antialiases on DJL's PyTorch engine, which the ONNX
     * export reproduces with {@link DafNetwork#antialiasWeights}. Hand-worked: 8 to 2 pixels, the first output
     * centred at 2 with a triangle of half-width 4 over inputs 0..5, weights (5, 7, 7, 5, 3, 1) / 28.
     */
    @Test
    void shrinkingIsAntialiasedWithTheWeightsTheExportUses() {
        float[] weights = DafNetwork.antialiasWeights(8, 2);
        float[] first = {5 / 28f, 7 / 28f, 7 / 28f, 5 / 28f, 3 / 28f, 1 / 28f, 0, 0};
        assertArrayEquals(first, Arrays.copyOf(weights, 8), 1e-7f);
        float[] second = first.clone();
        for (int j = 0; j < 8; j++) {
            second[j] = first[7 - j];
        }
        assertArrayEquals(second, Arrays.copyOfRange(weights, 8, 16), 1e-7f, "mirrored at the other edge");

        int in = 24;
        int out = 6;
        Random random = new Random(4);
        float[] x = TestArrays.gaussian(random, in * in, 1);
        float[] w = DafNetwork.antialiasWeights(in, out);
        float[] expected = new float[out * out];
        for (int i = 0; i < out; i++) {
            for (int j = 0; j < out; j++) {
                double sum = 0;
                for (int y = 0; y < in; y++) {
                    for (int xx = 0; xx < in; xx++) {
                        sum += (double) w[i * in + y] * w[j * in + xx] * x[y * in + xx];
                    }
                }
                expected[i * out + j] = (float) sum;
            }
        }
        try (NDManager m = Djl.newManager()) {
            float[] shrunk = DafNetwork.resize(m.create(x, new Shape(1, 1, in, in)), out, out, 1).toFloatArray();
            assertArrayEquals(expected, shrunk, 1e-5f);
        }
    }

    @Test
    void batchNormUsesBatchStatisticsInTrainingAndMovesTheRunningOnesByATenth() {
        try (NDManager m = Djl.newManager()) {
            BatchNormRelu bn = new BatchNormRelu("bn", 2, m);
            // channel 0: values 1..4 (mean 2.5, unbiased variance 5/3); channel 1: all 7
            NDArray x = m.create(new float[] {1, 2, 7, 7, 3, 4, 7, 7}, new Shape(2, 2, 1, 2));
            float[] y = bn.apply(x, true).toFloatArray();
            double sd = Math.sqrt(1.25 + BatchNormRelu.EPS); // biased variance for normalising
            assertEquals(0, y[0], 1e-5, "1 below the mean: ReLU");
            assertEquals((4 - 2.5) / sd, y[5], 1e-4);
            assertEquals(0, y[2], 1e-5, "a constant channel normalises to 0");
            NDList stats = new NDList(bn.parameters().get(2).getArray(), bn.parameters().get(3).getArray());
            assertArrayEquals(new float[] {0.25f, 0.7f}, stats.get(0).toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {0.9f + 0.1f * 5 / 3f, 0.9f}, stats.get(1).toFloatArray(), 1e-6f);
            float[] inference = bn.apply(x, false).toFloatArray();
            assertEquals((4 - 0.25) / Math.sqrt(0.9 + 0.5 / 3 + BatchNormRelu.EPS), inference[5], 1e-4,
                    "inference normalises with the running statistics");
            assertArrayEquals(new float[] {0.25f, 0.7f}, stats.get(0).toFloatArray(), 1e-6f, "and leaves them");
        }
    }

    @Test
    void convUnitsStartAsPyTorchDefaults() {
        try (NDManager m = Djl.newManager()) {
            ConvUnit conv = new ConvUnit("c", 16, 8, 3, true, new SplittableRandom(1), m);
            float[] w = conv.parameters().get(0).getArray().toFloatArray();
            double bound = 1 / Math.sqrt(16 * 9);
            double max = 0;
            double sumSquares = 0;
            for (float v : w) {
                max = Math.max(max, Math.abs(v));
                sumSquares += v * v;
            }
            assertTrue(max <= bound, "uniform within 1/sqrt(fan_in)");
            assertEquals(bound / Math.sqrt(3), Math.sqrt(sumSquares / w.length), 0.1 * bound, "uniform spread");
            assertEquals(2, conv.parameters().size(), "with bias");
            assertEquals(16L * 8 * 9 * 10 * 10, conv.macs(10, 10));
        }
    }
}
