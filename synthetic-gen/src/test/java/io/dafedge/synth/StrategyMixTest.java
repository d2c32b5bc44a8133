package io.dafedge.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class StrategyMixTest {
    private final TextureSource textures = new ProceduralTextures();

    @Test
    void picksInProportionToTheWeights() {
        StrategyMix mix = StrategyMix.parse("perlin-texture:3, cutpaste ,simple-noise:0.5", textures);
        Map<String, Integer> counts = new HashMap<>();
        SplittableRandom rnd = new SplittableRandom(1);
        int n = 45_000;
        for (int i = 0; i < n; i++) {
            counts.merge(mix.pick(rnd).name(), 1, Integer::sum);
        }
        assertEquals(n * 3 / 4.5, counts.get("perlin-texture"), n * 0.01);
        assertEquals(n * 1 / 4.5, counts.get("cutpaste"), n * 0.01);
        assertEquals(n * 0.5 / 4.5, counts.get("simple-noise"), n * 0.01);
    }

    @Test
    void refusesWhatItCannotUnderstandWithAMessageThatHelps() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StrategyMix.parse("perlin", textures));
        assertTrue(e.getMessage().contains("unknown strategy 'perlin'") && e.getMessage().contains("perlin-texture"));
        assertThrows(IllegalArgumentException.class, () -> StrategyMix.parse("cutpaste:0", textures));
        assertThrows(IllegalArgumentException.class, () -> StrategyMix.parse("cutpaste:-1", textures));
        assertThrows(IllegalArgumentException.class, () -> StrategyMix.parse("cutpaste:abc", textures));
        assertThrows(IllegalArgumentException.class, () -> StrategyMix.parse("cutpaste:NaN", textures));
        assertThrows(IllegalArgumentException.class, () -> StrategyMix.parse("cutpaste:1:2", textures));
        assertThrows(IllegalArgumentException.class, () -> StrategyMix.parse(" ", textures));
    }
}
