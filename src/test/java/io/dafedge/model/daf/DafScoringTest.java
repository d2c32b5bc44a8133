package io.dafedge.model.daf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import io.dafedge.model.AnomalyMap;
import io.dafedge.model.FeatureMap;
import io.dafedge.model.Maps;
import org.junit.jupiter.api.Test;

/** A = sum of upsampled channel means + 3 B, blurred; the image score is the mean of its 50 largest pixels. */
class DafScoringTest {
    @Test
    void constantLevelsAndSegmentationGiveAConstantMap() {
        // channel means 2 and 0.5; plus 3 x 0.25
        FeatureMap d1 = new FeatureMap(2, 8, 8, twoChannels(64, 1, 3));
        FeatureMap d2 = new FeatureMap(2, 4, 4, twoChannels(16, 0, 1));
        float[] b = new float[32 * 32];
        Arrays.fill(b, 0.25f);
        AnomalyMap a = DafScoring.score(List.of(d1, d2), b, 32, 32);
        for (float v : a.values()) {
            assertEquals(3.25f, v, 1e-5);
        }
        assertEquals(3.25f, a.score(), 1e-5);
    }

    @Test
    void composesResizeSegmentationBlurAndTopK() {
        Random random = new Random(5);
        FeatureMap d1 = new FeatureMap(3, 8, 8, TestArrays.uniform(random, 3 * 64, 0, 2));
        FeatureMap d2 = new FeatureMap(2, 4, 4, TestArrays.uniform(random, 2 * 16, 0, 2));
        float[] b = TestArrays.uniform(random, 32 * 32, 0, 1);
        float[] up1 = Maps.resize(Discrepancy.channelMean(d1), 8, 8, 32, 32);
        float[] up2 = Maps.resize(Discrepancy.channelMean(d2), 4, 4, 32, 32);
        float[] expected = new float[32 * 32];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = up1[i] + up2[i] + 3 * b[i];
        }
        expected = Maps.gaussianBlur(expected, 32, 32, 4);
        AnomalyMap a = DafScoring.score(List.of(d1, d2), b, 32, 32);
        assertArrayEquals(expected, a.values(), 1e-5f);
        assertEquals(Maps.topKMean(expected, 50), a.score(), 1e-5);
    }

    @Test
    void refusesASegmentationMapOfAnotherSize() {
        assertThrows(IllegalArgumentException.class,
                () -> DafScoring.score(List.of(), new float[10], 4, 4));
    }

    private static float[] twoChannels(int plane, float first, float second) {
        float[] v = new float[2 * plane];
        Arrays.fill(v, 0, plane, first);
        Arrays.fill(v, plane, 2 * plane, second);
        return v;
    }
}
