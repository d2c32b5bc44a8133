package io.dafedge.synth;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What each strategy draws, in distribution: how large its defects are and that they can be seen. */
class StrategyStatisticsTest {
    private static final int N = 150;

    /** strategy, smallest and largest mask area fraction allowed, floor for the mean change inside the mask. */
    static Stream<Arguments> expectations() {
        return Stream.of(
                Arguments.of("perlin-texture", 0.001, 0.50, 15.0),
                Arguments.of("cutpaste", 0.015, 0.16, 8.0),
                Arguments.of("cutpaste-scar", 0.0002, 0.012, 8.0),
                Arguments.of("simple", 0.0002, 0.60, 10.0),
                Arguments.of("simple-color", 0.001, 0.60, 15.0),
                Arguments.of("simple-noise", 0.001, 0.60, 15.0),
                Arguments.of("simple-blur", 0.001, 0.60, 6.0),
                Arguments.of("simple-scratch", 0.0003, 0.03, 30.0));
    }

    @ParameterizedTest
    @MethodSource("expectations")
    void areaAndVisibility(String strategy, double minArea, double maxArea, double minMeanChange) {
        AnomalySynthesizer synth = new AnomalySynthesizer(StrategyMix.parse(strategy, new ProceduralTextures()));
        Image source = TestImages.surface(256, 256, 3, 11);
        double areaSum = 0;
        double changeSum = 0;
        int invisible = 0;
        double lo = 1;
        double hi = 0;
        for (int i = 0; i < N; i++) {
            Sample s = synth.synthesize(source, AnomalySynthesizer.sampleSeed(3, i));
            double area = s.mask().areaFraction();
            double change = AnomalySynthesizer.restoreOutside(source, s.image(), s.mask());
            lo = Math.min(lo, area);
            hi = Math.max(hi, area);
            areaSum += area;
            changeSum += change;
            if (change < AnomalySynthesizer.MIN_VISIBLE_CHANGE) {
                invisible++;
            }
        }
        String stats = String.format("%s: area %.4f..%.4f mean %.4f, mean change %.1f, invisible %d/%d",
                strategy, lo, hi, areaSum / N, changeSum / N, invisible, N);
        System.out.println(stats);
        assertTrue(lo >= minArea, "smallest defect too small: " + stats);
        assertTrue(hi <= maxArea, "largest defect too large: " + stats);
        assertTrue(hi > 2 * lo, "defect sizes do not vary: " + stats);
        assertTrue(changeSum / N >= minMeanChange, "defects too faint: " + stats);
        assertTrue(invisible <= N / 50, "too many invisible defects: " + stats);
    }
}
