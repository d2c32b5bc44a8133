package io.dafedge.prune;

import java.util.ArrayList;
import java.util.List;

import io.dafedge.kernels.ConvShape;
import io.dafedge.prune.LayerScheme.Kind;

/**
 * Chooses each layer's pruning rate by what it buys on this machine's compiled kernels (the compiler-aware search
 * of NPAS, in a greedy form): every layer's scheme, as {@link RuleMapper} shapes it, is timed on the kernels at
 * each of {@link #RATES}, and starting from all dense, the step (a layer to a higher rate) that saves the most time
 * per weight removed is taken, again and again, while the weights removed stay within the budget the rule mapper
 * would remove at the same target. The accuracy bound is that budget: the search removes as many weights as the
 * rule mapper, but where they cost time; layers whose time pruning cannot cut (memory-bound ones, whose output
 * store is the floor) keep their weights for the others.
 */
public final class SearchMapper {
    /** The rates a layer may take; 0 is dense. */
    static final double[] RATES = {0, 0.5, 0.7, 0.85};

    private SearchMapper() {
    }

    /** A prunable convolution: its weight's name, its shape and the input it sees at the model's size. */
    public record Candidate(String parameter, ConvShape shape, int height, int width) {
        int[] oihw() {
            return new int[] {shape.outChannels(), shape.inChannels() / shape.groups(), shape.kernelHeight(),
                    shape.kernelWidth()};
        }
    }

    /** Times one layer under one scheme (a {@link Kind#DENSE} scheme: the layer unpruned). */
    @FunctionalInterface
    public interface Timer {
        double ms(Candidate layer, LayerScheme scheme);
    }

    /** A layer's choice, with what it was measured to cost dense and as chosen. */
    public record Choice(LayerScheme scheme, double denseMs, double chosenMs) {
    }

    public static List<Choice> map(List<Candidate> layers, double target, Timer timer) {
        if (!(target >= 0 && target < 1)) {
            throw new IllegalArgumentException("target sparsity must be in [0, 1), got " + target);
        }
        int n = layers.size();
        LayerScheme[][] schemes = new LayerScheme[n][RATES.length];
        double[][] ms = new double[n][RATES.length];
        double[][] removed = new double[n][RATES.length];
        double budget = 0;
        for (int i = 0; i < n; i++) {
            Candidate c = layers.get(i);
            for (int r = 0; r < RATES.length; r++) {
                schemes[i][r] = RuleMapper.map(c.parameter(), c.oihw(), RATES[r]);
                removed[i][r] = schemes[i][r].weights() * expectedSparsity(schemes[i][r]);
                ms[i][r] = r > 0 && schemes[i][r].kind() == Kind.DENSE ? ms[i][0] : timer.ms(c, schemes[i][r]);
            }
            LayerScheme rule = RuleMapper.map(c.parameter(), c.oihw(), target);
            budget += rule.weights() * expectedSparsity(rule);
        }
        int[] at = new int[n];
        double spent = 0;
        while (true) {
            int bestLayer = -1;
            int bestRate = -1;
            double bestRatio = 0;
            for (int i = 0; i < n; i++) {
                for (int r = at[i] + 1; r < RATES.length; r++) {
                    double cost = removed[i][r] - removed[i][at[i]];
                    double gain = ms[i][at[i]] - ms[i][r];
                    if (cost > 0 && gain > 0 && spent + cost <= budget && gain / cost > bestRatio) {
                        bestRatio = gain / cost;
                        bestLayer = i;
                        bestRate = r;
                    }
                }
            }
            if (bestLayer < 0) {
                break;
            }
            spent += removed[bestLayer][bestRate] - removed[bestLayer][at[bestLayer]];
            at[bestLayer] = bestRate;
        }
        List<Choice> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new Choice(schemes[i][at[i]], ms[i][0], ms[i][at[i]]));
        }
        return out;
    }

    /** The fraction of a layer's weights its scheme removes at full progress. */
    static double expectedSparsity(LayerScheme s) {
        return switch (s.kind()) {
            case DENSE -> 0;
            case BLOCK -> s.rate();
            case PATTERN -> 1 - (double) Masks.PATTERN_SIZE / 9 * (1 - s.rate());
        };
    }
}
