package io.dafedge.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The general epilogue, {@code clamp2(clamp1(conv + bias) + residual)}, against the same convolution without one
 * (itself checked against PyTorch by {@link Conv2dTest}) clamped in Java, on every ISA, dense and sparse packing.
 */
class EpilogueTest {
    private final Random random = new Random(17);

    @Test
    void clampsBeforeAndAfterTheResidualAsAQuantisedNetworkDoes() {
        ConvShape shape = ConvShape.of(16, 40, 3).withPadding(1);
        int h = 9;
        int w = 11;
        float[] weights = gaussian(shape.weightCount(), 0.3f);
        float[] bias = gaussian(40, 0.5f);
        float[] input = gaussian(h * w * 16, 1f);
        float[] residual = gaussian(h * w * 40, 2f);
        Epilogue e = new Epilogue(-1.5f, 2.25f, -0.5f, 3f);
        for (Isa isa : Isa.supported()) {
            for (Packing packing : Packing.values()) {
                float[] plain;
                try (Conv2d c = Conv2d.create(shape, weights, bias, isa, 2, packing)) {
                    plain = c.run(input, h, w);
                }
                float[] withRes = new float[plain.length];
                float[] without = new float[plain.length];
                try (Conv2d c = Conv2d.create(shape, weights, bias, isa, 2, packing, e)) {
                    c.run(input, h, w, residual, withRes);
                    c.run(input, h, w, null, without);
                }
                float[] expectedRes = new float[plain.length];
                float[] expected = new float[plain.length];
                boolean clipped = false;
                for (int i = 0; i < plain.length; i++) {
                    float first = Math.min(Math.max(plain[i], e.lo()), e.hi());
                    clipped |= first != plain[i];
                    expectedRes[i] = Math.min(Math.max(first + residual[i], e.residualLo()), e.residualHi());
                    expected[i] = Math.min(Math.max(first, e.residualLo()), e.residualHi());
                }
                assertTrue(clipped, "the data must reach the bounds for the test to mean anything");
                assertArrayEquals(expectedRes, withRes, 1e-5f, isa + " " + packing + " with a residual");
                assertArrayEquals(expected, without, 1e-5f, isa + " " + packing + " without one");
            }
        }
    }

    @Test
    void anEpilogueReplacesTheActivationAndNeedsOrderedBounds() {
        ConvShape relu = ConvShape.of(8, 8, 1).withActivation(Activation.RELU);
        float[] w = new float[64];
        assertThrows(IllegalArgumentException.class, () -> Conv2d.create(relu, w, null, Isa.selected(), 1,
                Packing.DENSE, Epilogue.NONE));
        assertThrows(IllegalArgumentException.class, () -> new Epilogue(1, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Epilogue(0, 1, Float.NaN, 1));
    }

    private float[] gaussian(int n, float sigma) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (sigma * random.nextGaussian());
        }
        return v;
    }
}
