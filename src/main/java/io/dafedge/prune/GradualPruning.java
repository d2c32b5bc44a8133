package io.dafedge.prune;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import io.dafedge.model.ModelBundle;

/**
 * Gradual magnitude pruning during training (Zhu and Gupta, 2017): from {@link #START} to {@link #END} of the
 * budget the masks are chosen anew {@link #UPDATES} times, each time closer to the final rates on a cubic ramp (fast
 * at first, while the network can still recover); after {@link #END} they stay, and the rest of the budget
 * fine-tunes the kept weights. Pruned weights are set to zero after every optimiser update, since the optimiser's
 * moments and weight decay would otherwise bring them back.
 */
public final class GradualPruning {
    static final double START = 0.2;
    static final double END = 0.7;
    static final int UPDATES = 10;

    private final String mapper;
    private final List<LayerScheme> schemes;
    /** What the search measured per layer (dense and as chosen, ms), by parameter; empty for the rule mapper. */
    private final Map<String, double[]> measured;
    private final double target;
    private final Map<String, NDArray> masks = new HashMap<>();
    private int updatesDone;

    private GradualPruning(String mapper, List<LayerScheme> schemes, Map<String, double[]> measured,
                           double target) {
        this.mapper = mapper;
        this.schemes = List.copyOf(schemes);
        this.measured = Map.copyOf(measured);
        this.target = target;
    }

    /**
     * Schemes by {@link RuleMapper} for every convolution weight among {@code parameters} that {@code pruned}
     * accepts (the inference graph's layers; training-only heads gain nothing from pruning).
     */
    public static GradualPruning rule(Map<String, Parameter> parameters, Predicate<String> pruned, double target) {
        List<LayerScheme> schemes = new ArrayList<>();
        parameters.forEach((name, p) -> {
            NDArray w = p.getArray();
            if (p.getType() == Parameter.Type.WEIGHT && w.getShape().dimension() == 4 && pruned.test(name)) {
                long[] s = w.getShape().getShape();
                schemes.add(RuleMapper.map(name, new int[] {(int) s[0], (int) s[1], (int) s[2], (int) s[3]}, target));
            }
        });
        return new GradualPruning("rule", schemes, Map.of(), target);
    }

    /**
     * The schemes of a file in the manifest's form ({@code training.pruning} of an earlier bundle, or its
     * {@code layers} alone): each listed layer as given, every other convolution weight dense. A layer the network
     * lacks, or a scheme that does not fit its weight, is refused.
     */
    public static GradualPruning fromScheme(JsonNode scheme, Map<String, Parameter> parameters) {
        JsonNode layers = scheme.isArray() ? scheme : scheme.path("layers");
        if (!layers.isArray() || layers.isEmpty()) {
            throw new IllegalArgumentException("a scheme file needs a non-empty \"layers\" list");
        }
        List<LayerScheme> schemes = new ArrayList<>();
        long total = 0;
        double removed = 0;
        for (JsonNode l : layers) {
            String name = l.path("parameter").asText();
            Parameter p = parameters.get(name);
            if (p == null || p.getArray().getShape().dimension() != 4) {
                throw new IllegalArgumentException("the scheme names '" + name + "', which is not a convolution "
                        + "weight of this network");
            }
            long[] s = p.getArray().getShape().getShape();
            LayerScheme layer = LayerScheme.fromJson(l, new int[] {(int) s[0], (int) s[1], (int) s[2], (int) s[3]});
            schemes.add(layer);
            total += layer.weights();
            removed += layer.weights() * SearchMapper.expectedSparsity(layer);
        }
        return new GradualPruning("file", schemes, Map.of(), total == 0 ? 0 : removed / total);
    }

    /**
     * Schemes by {@link SearchMapper}, timing each of {@code candidates} (the inference's convolutions, as the
     * compiled detector runs them) with {@code timer}; the weights removed in all are as many as the rule mapper
     * would remove at {@code target}.
     */
    public static GradualPruning search(List<SearchMapper.Candidate> candidates, double target,
                                        SearchMapper.Timer timer) {
        List<LayerScheme> schemes = new ArrayList<>();
        Map<String, double[]> measured = new HashMap<>();
        for (SearchMapper.Choice c : SearchMapper.map(candidates, target, timer)) {
            schemes.add(c.scheme());
            measured.put(c.scheme().parameter(), new double[] {c.denseMs(), c.chosenMs()});
        }
        return new GradualPruning("search", schemes, measured, target);
    }

    public List<LayerScheme> schemes() {
        return schemes;
    }

    /** How far along the ramp the masks are at {@code fraction} of the budget, in [0, 1]. */
    static double progress(double fraction) {
        double t = Math.min(1, Math.max(0, (fraction - START) / (END - START)));
        return 1 - Math.pow(1 - t, 3);
    }

    /**
     * Call after each optimiser update with the fraction of the budget used: chooses new masks when the next of the
     * ramp's points is reached, then zeroes the pruned weights.
     */
    public void afterUpdate(Map<String, Parameter> parameters, double fraction) {
        int due = fraction < START ? 0 : 1 + (int) Math.min(UPDATES, Math.floor((fraction - START)
                / (END - START) * UPDATES));
        if (due > updatesDone) {
            double progress = progress(fraction);
            for (LayerScheme s : schemes) {
                NDArray w = parameters.get(s.parameter()).getArray();
                float[] mask = s.mask(w.toFloatArray(), progress);
                if (mask != null) {
                    NDArray old = masks.put(s.parameter(), w.getManager().create(mask, w.getShape()));
                    if (old != null) {
                        old.close();
                    }
                }
            }
            updatesDone = due;
        }
        masks.forEach((name, mask) -> parameters.get(name).getArray().muli(mask));
    }

    /** The scheme and what it reached, per layer and in all, for the bundle's manifest. */
    public ObjectNode toJson(Map<String, Parameter> parameters) {
        ObjectNode o = ModelBundle.JSON.createObjectNode();
        o.put("mapper", mapper);
        o.put("method", "gradual magnitude, cubic ramp from " + START + " to " + END + " of the budget, "
                + UPDATES + " mask updates, then masked fine-tuning");
        o.put("target_sparsity", target);
        long total = 0;
        long zeros = 0;
        var layers = o.putArray("layers");
        for (LayerScheme s : schemes) {
            ObjectNode l = s.toJson();
            double[] ms = measured.get(s.parameter());
            if (ms != null) {
                l.put("dense_ms", Math.round(ms[0] * 1000) / 1000.0);
                l.put("chosen_ms", Math.round(ms[1] * 1000) / 1000.0);
            }
            float[] w = parameters.get(s.parameter()).getArray().toFloatArray();
            long z = 0;
            for (float v : w) {
                if (v == 0f) {
                    z++;
                }
            }
            l.put("sparsity", Math.round(1000.0 * z / w.length) / 1000.0);
            layers.add(l);
            total += w.length;
            zeros += z;
        }
        o.put("weights_in_pruned_layers", total);
        o.put("sparsity", total == 0 ? 0 : Math.round(1000.0 * zeros / total) / 1000.0);
        return o;
    }
}
