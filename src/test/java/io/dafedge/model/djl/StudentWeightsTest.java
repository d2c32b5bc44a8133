package io.dafedge.model.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dafedge.model.djl.Initialisation.Role;
import org.junit.jupiter.api.Test;

/** The student's departures from the teacher: fresh weights and Clip bounds that do not copy the quantiser. */
class StudentWeightsTest {
    private static final float INF = Float.POSITIVE_INFINITY;

    @Test
    void aClipAroundALinearValueBecomesIdentity() {
        assertArrayEquals(new float[] {-INF, INF}, new StudentWeights(1).clip(-2.127f, 2.631f));
    }

    @Test
    void aQuantisedRelu6GetsItsSixBackAndAWiderBoundIsKept() {
        StudentWeights s = new StudentWeights(1);
        assertArrayEquals(new float[] {0, 6}, s.clip(0, 4.49f));
        assertArrayEquals(new float[] {0, 6}, s.clip(0, 6));
        assertArrayEquals(new float[] {0, INF}, s.clip(0, INF));
    }

    @Test
    void biasesAndShiftsStartAtZeroScalesAtOne() {
        StudentWeights s = new StudentWeights(1);
        float[] file = {0.3f, -2f};
        assertArrayEquals(new float[] {0, 0}, s.values(Role.BIAS, new long[] {2}, file));
        assertArrayEquals(new float[] {0, 0}, s.values(Role.SHIFT, new long[] {2}, file));
        assertArrayEquals(new float[] {1, 1}, s.values(Role.SCALE, new long[] {2}, file));
    }

    @Test
    void convWeightsAreKaimingNormalOverFanOutAndRepeatPerSeed() {
        long[] shape = {64, 32, 3, 3};
        float[] file = new float[64 * 32 * 9];
        float[] w = new StudentWeights(5).values(Role.CONV_WEIGHT, shape, file);
        double sq = 0;
        for (float v : w) {
            sq += v * v;
        }
        assertEquals(Math.sqrt(2.0 / (64 * 9)), Math.sqrt(sq / w.length), 0.02 * Math.sqrt(2.0 / (64 * 9)));
        assertArrayEquals(w, new StudentWeights(5).values(Role.CONV_WEIGHT, shape, file));
    }
}
