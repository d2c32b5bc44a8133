package io.dafedge.kernels;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every operator of {@link Ops} refuses bad sizes, arrays and options in Java, naming what is wrong. */
class OpsArgumentsTest {
    private static void refused(String expectedInMessage, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expectedInMessage), "message '" + e.getMessage() + "' should name '"
                + expectedInMessage + "'");
    }

    @Test
    void discrepancy() {
        float[] s = new float[6 * 7 * 3];
        float[] t = new float[6 * 7 * 3];
        float[] out = new float[6 * 7 * 3];
        assertDoesNotThrow(() -> Ops.discrepancy(s, t, 6, 7, 3, Scaling.MAX, out, 2));
        refused("a 5 x 7 map is too small to reflect-pad by 5",
                () -> Ops.discrepancy(s, t, 5, 7, 3, Scaling.MAX, out, 2));
        refused("a 7 x 5 map is too small", () -> Ops.discrepancy(s, t, 7, 5, 3, Scaling.MAX, out, 2));
        refused("channels must be at least 1, got 0", () -> Ops.discrepancy(s, t, 6, 7, 0, Scaling.MAX, out, 2));
        refused("student: expected 6 x 7 x 4 = 168 values, got 126",
                () -> Ops.discrepancy(s, t, 6, 7, 4, Scaling.MAX, out, 2));
        refused("teacher: expected 6 x 7 x 3 = 126 values, got 125",
                () -> Ops.discrepancy(s, new float[125], 6, 7, 3, Scaling.MAX, out, 2));
        refused("student must not be null", () -> Ops.discrepancy(null, t, 6, 7, 3, Scaling.MAX, out, 2));
        refused("out: expected", () -> Ops.discrepancy(s, t, 6, 7, 3, Scaling.MAX, new float[127], 2));
        refused("out must not be the same array as teacher",
                () -> Ops.discrepancy(s, t, 6, 7, 3, Scaling.MAX, t, 2));
        refused("scaling must not be null", () -> Ops.discrepancy(s, t, 6, 7, 3, null, out, 2));
        refused("threads must be in [1, 64], got 0", () -> Ops.discrepancy(s, t, 6, 7, 3, Scaling.MAX, out, 0));
        refused("threads must be in [1, 64], got 65", () -> Ops.discrepancy(s, t, 6, 7, 3, Scaling.MAX, out, 65));
        refused("student: expected 65536 x 65536 x 65536 = 281474976710656 values",
                () -> Ops.discrepancy(s, t, 65536, 65536, 65536, Scaling.MAX, out, 2));
    }

    @Test
    void isaTheCpuLacks() {
        for (Isa isa : Isa.values()) {
            if (!isa.isSupported()) {
                refused(isa.key() + " is not supported by this CPU", () -> Ops.sigmoid(new float[1], 1, isa));
            }
        }
        refused("null is not supported", () -> Ops.sigmoid(new float[1], 1, null));
    }

    @Test
    void channelMeanAndCopies() {
        refused("plane: expected 2 x 3 = 6 values, got 5",
                () -> Ops.channelMean(new float[24], 2, 3, 4, new float[5]));
        refused("height must be at least 1, got 0", () -> Ops.channelMean(new float[0], 0, 3, 4, new float[0]));
        float[] same = new float[6];
        refused("plane must not be the same array as hwc", () -> Ops.channelMean(same, 2, 3, 1, same));
        refused("channels [3, 6) do not fit in dstChannels 5",
                () -> Ops.copyChannels(new float[30], 10, 3, new float[50], 5, 3));
        refused("channels [-1, 2) do not fit", () -> Ops.copyChannels(new float[30], 10, 3, new float[50], 5, -1));
        refused("dst: expected 10 pixels x 5 = 50 values, got 49",
                () -> Ops.copyChannels(new float[30], 10, 3, new float[49], 5, 0));
        refused("pixels must be at least 1, got 0", () -> Ops.copyChannels(new float[0], 0, 3, new float[0], 5, 0));
        refused("channels must be a positive multiple of 4, got 6",
                () -> Ops.depthToSpace(new float[6], 1, 1, 6, new float[6]));
        refused("dst: expected 4 x 6 x 2 = 48 values, got 47",
                () -> Ops.depthToSpace(new float[48], 2, 3, 8, new float[47]));
        float[] d2s = new float[48];
        refused("dst must not be the same array as src", () -> Ops.depthToSpace(d2s, 2, 3, 8, d2s));
    }

    @Test
    void fuseAndResize() {
        refused("factor must be at least 1, got 0",
                () -> Ops.fuseNearest(new float[8], 2, 2, 2, 0, new float[8], 2, false));
        refused("dst: expected 4 x 4 x 3 = 48 values, got 32",
                () -> Ops.fuseNearest(new float[8], 2, 2, 2, 2, new float[32], 3, true));
        refused("dstChannels must be at least 1, got 0",
                () -> Ops.fuseNearest(new float[8], 2, 2, 2, 2, new float[0], 0, true));
        float[] src = new float[4 * 4 * 3];
        refused("outH must be at least 1, got 0",
                () -> Ops.resizeBilinear(src, 4, 4, 3, 0, 8, new float[0], 3, 0, 2));
        refused("channels [2, 5) do not fit in dstChannels 4",
                () -> Ops.resizeBilinear(src, 4, 4, 3, 8, 8, new float[256], 4, 2, 2));
        refused("dst: expected 8 x 8 x 4 = 256 values, got 255",
                () -> Ops.resizeBilinear(src, 4, 4, 3, 8, 8, new float[255], 4, 1, 2));
        refused("src: expected 4 x 5 x 3 = 60 values, got 48",
                () -> Ops.resizeBilinear(src, 4, 5, 3, 8, 8, new float[192], 3, 0, 2));
        refused("dst must not be the same array as src",
                () -> Ops.resizeBilinear(src, 4, 4, 3, 4, 4, src, 3, 0, 2));
        refused("threads must be in [1, 64], got -1",
                () -> Ops.resizeBilinear(src, 4, 4, 3, 8, 8, new float[192], 3, 0, -1));
    }

    @Test
    void mapsAndActivations() {
        float[] plane = new float[12];
        refused("sigma must be in (0, 256.0], got 0.0", () -> Ops.gaussianBlur(plane, 3, 4, 0, new float[12], 1));
        refused("sigma must be in (0, 256.0], got NaN",
                () -> Ops.gaussianBlur(plane, 3, 4, Double.NaN, new float[12], 1));
        refused("sigma must be in (0, 256.0], got 300.0", () -> Ops.gaussianBlur(plane, 3, 4, 300, new float[12], 1));
        refused("out: expected 3 x 4 = 12 values, got 11", () -> Ops.gaussianBlur(plane, 3, 4, 4, new float[11], 1));
        refused("out must not be the same array as plane", () -> Ops.gaussianBlur(plane, 3, 4, 4, plane, 1));
        refused("width must be at least 1, got -3", () -> Ops.gaussianBlur(plane, -3, -4, 4, new float[12], 1));
        refused("k must be at least 1, got 0", () -> Ops.topKMean(plane, 12, 0));
        refused("n must be at least 1, got 0", () -> Ops.topKMean(plane, 0, 5));
        refused("n must be in [0, 12] (plane's length), got 13", () -> Ops.topKMean(plane, 13, 5));
        refused("plane must not be null", () -> Ops.topKMean(null, 1, 5));
        refused("n must be in [0, 12] (x's length), got 13", () -> Ops.sigmoid(plane, 13));
        refused("n must be in [0, 12] (x's length), got -1", () -> Ops.relu(plane, -1));
        refused("x must not be null", () -> Ops.relu(null, 0));
        assertDoesNotThrow(() -> Ops.relu(plane, 0));
    }
}
