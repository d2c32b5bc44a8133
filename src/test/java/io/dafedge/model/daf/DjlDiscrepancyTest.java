package io.dafedge.model.daf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.stream.Stream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.dafedge.model.FeatureMap;
import io.dafedge.model.djl.Djl;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The DJL discrepancy equals the plain-Java one on the shared teacher's level shapes, batch 2. */
class DjlDiscrepancyTest {
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(Normalisation.MAX, false),
                Arguments.of(Normalisation.MIN_MAX, true),
                Arguments.of(Normalisation.MAX_ABS, true),
                Arguments.of(Normalisation.MIN_MAX, false),
                Arguments.of(Normalisation.MAX, true));
    }

    @ParameterizedTest(name = "{0}, signed {1}")
    @MethodSource("cases")
    void equalsThePlainJavaDiscrepancy(Normalisation normalisation, boolean signed) {
        int[][] levels = {{24, 64, 64}, {32, 32, 32}, {96, 16, 16}};
        Random random = new Random(11);
        DjlDiscrepancy djl = new DjlDiscrepancy(normalisation);
        Discrepancy plain = new Discrepancy(normalisation);
        try (NDManager m = Djl.newManager()) {
            for (int[] l : levels) {
                Shape shape = new Shape(2, l[0], l[1], l[2]);
                int n = (int) shape.size();
                NDArray s = m.create(signed ? TestArrays.gaussian(random, n, 1.5f)
                        : TestArrays.uniform(random, n, 0, 4), shape);
                NDArray t = m.create(signed ? TestArrays.gaussian(random, n, 1.5f)
                        : TestArrays.uniform(random, n, 0, 4), shape);
                NDArray d = djl.map(s, t);
                for (int i = 0; i < 2; i++) {
                    FeatureMap expected = plain.map(TestArrays.sample(s, i), TestArrays.sample(t, i));
                    assertClose(expected.data(), TestArrays.sample(d, i).data(), 1e-5, shape + " sample " + i);
                }
            }
        }
    }

    private static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertEquals(0, worst, tolerance, what + ": largest difference");
    }
}
