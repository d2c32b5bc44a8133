package io.dafedge.kernels;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad shapes and arrays are refused in Java with a message saying what is wrong; none reaches the native code. */
class Conv2dArgumentsTest {
    private static final ConvShape SHAPE = ConvShape.of(4, 6, 3).withPadding(1);

    private static void refused(String expectedInMessage, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expectedInMessage), "message '" + e.getMessage() + "' should name '"
                + expectedInMessage + "'");
    }

    @Test
    void shapesOutOfRange() {
        refused("groups (3) must divide in channels (4)", () -> ConvShape.of(4, 6, 1).withGroups(3));
        refused("kernel height must be in [1, 65536], got 0", () -> ConvShape.of(4, 6, 0));
        refused("stride width must be in [1, 65536], got 0", () -> SHAPE.withStride(1, 0));
        refused("padding right must be in [0, 65536], got -1", () -> SHAPE.withPadding(0, 0, 0, -1));
        refused("in channels must be in [1, 65536], got 0", () -> ConvShape.of(0, 6, 1));
        refused("more than 2147483647 weights", () -> ConvShape.of(65536, 65536, 1));
        refused("activation must not be null", () -> SHAPE.withActivation(null));
        refused("kernel width 3 exceeds the padded input width 2", () -> ConvShape.of(1, 1, 3).outWidth(2));
    }

    @Test
    void weightsBiasAndThreads() {
        refused("weights: expected 216 values (OIHW)", () -> Conv2d.create(SHAPE, new float[215], null));
        refused("weights: expected 216", () -> Conv2d.create(SHAPE, null, null));
        refused("bias: expected 6 values, got 4", () -> Conv2d.create(SHAPE, new float[216], new float[4]));
        refused("threads must be in [1, 64], got 0",
                () -> Conv2d.create(SHAPE, new float[216], null, Isa.PORTABLE, 0));
        refused("packing must not be null",
                () -> Conv2d.create(SHAPE, new float[216], null, Isa.PORTABLE, 1, null));
        refused("isa must not be null", () -> Conv2d.create(SHAPE, new float[216], null, null, 1, Packing.SPARSE));
        refused("shape must not be null", () -> Conv2d.create(null, new float[216], null, Isa.PORTABLE, 1));
        refused("weights: expected 216 values (OIHW)",
                () -> Conv2d.create(SHAPE, new float[217], null, Isa.PORTABLE, 1, Packing.SPARSE));
    }

    @Test
    void inputsThatDoNotFitTheShape() {
        try (Conv2d conv = Conv2d.create(SHAPE, new float[216], null)) {
            refused("input: expected 5 x 7 x 4 = 140 values (HWC), got 139", () -> conv.run(new float[139], 5, 7));
            refused("input: expected", () -> conv.run(null, 5, 7));
            refused("input height must be at least 1, got 0", () -> conv.run(new float[0], 0, 7));
            refused("input width must be at least 1, got -3", () -> conv.run(new float[140], 5, -3));
            refused("residual: expected 210 values, got 140", () -> conv.run(new float[140], 5, 7, new float[140]));
            refused("output: expected 210 values, got 211",
                    () -> conv.run(new float[140], 5, 7, null, new float[211]));
            float[] same = new float[210];
            try (Conv2d square = Conv2d.create(ConvShape.of(6, 6, 1), new float[36], null)) {
                refused("output must not be the input array", () -> square.run(same, 5, 7, null, same));
            }
            assertDoesNotThrow(() -> conv.run(new float[140], 5, 7));
        }
    }

    @Test
    void anInputSmallerThanTheKernel() {
        try (Conv2d conv = Conv2d.create(ConvShape.of(4, 6, 3), new float[216], null)) {
            refused("kernel height 3 exceeds the padded input height 2", () -> conv.run(new float[4 * 2 * 9], 2, 9));
        }
    }

    @Test
    void aClosedConvolutionRefusesToRun() {
        Conv2d conv = Conv2d.create(SHAPE, new float[216], null);
        conv.close();
        conv.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> conv.run(new float[140], 5, 7));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
}
