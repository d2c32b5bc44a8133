package io.dafedge.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The generator's contract, checked property-style for every strategy over many seeds, sizes and channel counts. */
class SynthInvariantsTest {
    private static final int[][] SIZES = {{16, 16}, {17, 41}, {64, 48}, {127, 129}, {256, 256}, {333, 190}};
    private static final int[] CHANNELS = {1, 3, 4};
    private static final int SEEDS = 12;

    static Stream<Arguments> strategies() {
        return StrategyMix.names().stream().map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void keepsSizeChannelsAndEverythingOutsideTheMask(String strategy) {
        AnomalySynthesizer synth = new AnomalySynthesizer(StrategyMix.parse(strategy, new ProceduralTextures()));
        for (int[] size : SIZES) {
            for (int channels : CHANNELS) {
                Image source = TestImages.surface(size[0], size[1], channels, size[0] * 31L + channels);
                byte[] before = source.data.clone();
                for (int s = 0; s < SEEDS; s++) {
                    long seed = AnomalySynthesizer.sampleSeed(size[0] * 1000L + channels, s);
                    Sample sample = synth.synthesize(source, seed);
                    String where = strategy + " " + source + " seed " + seed;
                    assertEquals(strategy, sample.strategy());
                    assertEquals(seed, sample.seed());
                    Image out = sample.image();
                    assertEquals(source.width, out.width, where);
                    assertEquals(source.height, out.height, where);
                    assertEquals(source.channels, out.channels, where);
                    assertEquals(source.width, sample.mask().width, where);
                    assertEquals(source.height, sample.mask().height, where);
                    assertTrue(sample.mask().area() > 0, "empty mask: " + where);
                    int changedInside = 0;
                    for (int i = 0; i < source.pixels(); i++) {
                        boolean changed = false;
                        for (int c = 0; c < channels; c++) {
                            int o = i * channels + c;
                            if (out.data[o] != source.data[o]) {
                                changed = true;
                                // alpha is never touched: defects are in the colour channels
                                assertTrue(c < 3, "alpha changed: " + where);
                            }
                        }
                        if (changed) {
                            assertTrue(sample.mask().get(i), "changed pixel " + i + " outside the mask: " + where);
                            changedInside++;
                        }
                    }
                    assertTrue(changedInside > 0, "nothing changed: " + where);
                    for (byte m : sample.mask().data) {
                        assertTrue(m == 0 || m == (byte) 255, "mask values are 0/255: " + where);
                    }
                }
                assertArrayEquals(before, source.data, "the source must not be modified");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void sameSeedSameBytesOtherSeedOtherBytes(String strategy) {
        Image source = TestImages.surface(96, 80, 3, 5);
        List<byte[]> outputs = new ArrayList<>();
        for (int s = 0; s < 10; s++) {
            long seed = AnomalySynthesizer.sampleSeed(99, s);
            // a fresh synthesizer and texture bank each time: nothing may carry over between calls
            Sample a = new AnomalySynthesizer(StrategyMix.parse(strategy, new ProceduralTextures())).synthesize(source, seed);
            Sample b = new AnomalySynthesizer(StrategyMix.parse(strategy, new ProceduralTextures())).synthesize(source, seed);
            assertArrayEquals(a.image().data, b.image().data, strategy + " seed " + seed);
            assertArrayEquals(a.mask().data, b.mask().data, strategy + " seed " + seed);
            outputs.add(a.image().data);
        }
        long distinct = outputs.stream().map(java.util.Arrays::hashCode).distinct().count();
        assertFalse(distinct < 9, strategy + ": different seeds gave the same image " + (10 - distinct) + " times");
    }
}
