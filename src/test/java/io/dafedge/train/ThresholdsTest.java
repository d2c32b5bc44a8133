package io.dafedge.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ThresholdsTest {
    @Test
    void separableScoresGetTheMidpointBetweenTheClasses() {
        Thresholds.Choice c = Thresholds.balanced(new float[] {1, 2, 3}, new float[] {5, 7});
        assertEquals(4f, c.threshold());
        assertEquals(1.0, c.truePositiveRate());
        assertEquals(0.0, c.falsePositiveRate());
    }

    @Test
    void overlappingScoresMaximiseTprMinusFpr() {
        // good 1 2 6, defective 4 5 8: t=3 gives tpr 1, fpr 1/3 (J 2/3); t=7 gives 1/3, 0 (J 1/3); t=5.5 gives 1/3, 1/3
        Thresholds.Choice c = Thresholds.balanced(new float[] {1, 2, 6}, new float[] {4, 5, 8});
        assertEquals(3f, c.threshold());
        assertEquals(1.0, c.truePositiveRate());
        assertEquals(1.0 / 3, c.falsePositiveRate(), 1e-12);
    }

    @Test
    void tiesGoToTheHigherThreshold() {
        // good 1 3, defective 2 4: t=1.5 gives tpr 1, fpr 1/2 and t=3.5 tpr 1/2, fpr 0, both J 1/2;
        // the higher one raises fewer false alarms
        Thresholds.Choice c = Thresholds.balanced(new float[] {1, 3}, new float[] {2, 4});
        assertEquals(3.5f, c.threshold());
    }

    @Test
    void allEqualScoresCannotSeparateAndGetAThresholdAboveThem() {
        Thresholds.Choice c = Thresholds.balanced(new float[] {2, 2}, new float[] {2});
        assertEquals(0.0, c.truePositiveRate() - c.falsePositiveRate(), 1e-12);
        assertEquals(0.0, c.falsePositiveRate());
    }

    @Test
    void bothKindsAreNeeded() {
        assertThrows(IllegalArgumentException.class, () -> Thresholds.balanced(new float[0], new float[] {1}));
    }
}
