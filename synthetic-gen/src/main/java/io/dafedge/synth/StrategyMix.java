package io.dafedge.synth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/** A weighted choice among strategies, written {@code NAME[:WEIGHT],...} (weights default to 1). */
public final class StrategyMix {
    private static final Map<String, Function<TextureSource, AnomalyStrategy>> KNOWN = new LinkedHashMap<>();

    static {
        KNOWN.put(PerlinTextureStrategy.NAME, PerlinTextureStrategy::new);
        KNOWN.put(CutPasteStrategy.PATCH, t -> new CutPasteStrategy(false));
        KNOWN.put(CutPasteStrategy.SCAR, t -> new CutPasteStrategy(true));
        KNOWN.put(SimpleStrategy.MIXED, t -> new SimpleStrategy(null));
        for (SimpleStrategy.Kind kind : SimpleStrategy.Kind.values()) {
            KNOWN.put(kind.strategyName(), t -> new SimpleStrategy(kind));
        }
    }

    private final List<AnomalyStrategy> strategies;
    private final double[] cumulative;

    private StrategyMix(List<AnomalyStrategy> strategies, double[] cumulative) {
        this.strategies = strategies;
        this.cumulative = cumulative;
    }

    public static List<String> names() {
        return List.copyOf(KNOWN.keySet());
    }

    /** Parses a mix such as {@code perlin-texture:2,simple:1}; textures feed perlin-texture. */
    public static StrategyMix parse(String spec, TextureSource textures) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("no strategy given; known: " + String.join(", ", names()));
        }
        List<AnomalyStrategy> strategies = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        for (String part : spec.split(",")) {
            String[] nw = part.trim().split(":", -1);
            String name = nw[0].trim();
            Function<TextureSource, AnomalyStrategy> factory = KNOWN.get(name);
            if (factory == null) {
                throw new IllegalArgumentException("unknown strategy '" + name + "'; known: " + String.join(", ", names()));
            }
            double weight = 1;
            if (nw.length > 2) {
                throw new IllegalArgumentException("'" + part.trim() + "' is not NAME or NAME:WEIGHT");
            }
            if (nw.length == 2) {
                try {
                    weight = Double.parseDouble(nw[1].trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("weight of '" + name + "' is not a number: '" + nw[1] + "'");
                }
                if (!(weight > 0) || Double.isInfinite(weight)) {
                    throw new IllegalArgumentException("weight of '" + name + "' must be a positive number, got " + nw[1]);
                }
            }
            strategies.add(factory.apply(textures));
            weights.add(weight);
        }
        double[] cumulative = new double[weights.size()];
        double sum = 0;
        for (int i = 0; i < cumulative.length; i++) {
            sum += weights.get(i);
            cumulative[i] = sum;
        }
        return new StrategyMix(List.copyOf(strategies), cumulative);
    }

    public AnomalyStrategy pick(SplittableRandom rnd) {
        double r = rnd.nextDouble() * cumulative[cumulative.length - 1];
        for (int i = 0; i < cumulative.length - 1; i++) {
            if (r < cumulative[i]) {
                return strategies.get(i);
            }
        }
        return strategies.get(strategies.size() - 1);
    }

    public List<AnomalyStrategy> strategies() {
        return strategies;
    }
}
