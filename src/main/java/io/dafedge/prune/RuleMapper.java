package io.dafedge.prune;

import io.dafedge.prune.LayerScheme.Kind;

/**
 * Chooses a layer's scheme from its shape alone: pattern pruning for 3x3 kernels (PatDNN's case), block-punched
 * pruning for every other kernel size (1x1 included), nothing for layers too small to gain from it.
 */
public final class RuleMapper {
    /** Layers with fewer weights stay dense: the first convolution on the RGB input, single-channel heads. */
    static final int MIN_WEIGHTS = 1024;
    static final int BLOCK_FILTERS = 8;
    static final int BLOCK_CHANNELS = 4;

    private RuleMapper() {
    }

    /**
     * @param target the fraction of the layer's weights to remove, in [0, 1); a depthwise 3x3 layer only gets its
     *               pattern (5 of 9 weights removed), as removing whole kernels there removes whole channels
     */
    public static LayerScheme map(String parameter, int[] shape, double target) {
        if (!(target >= 0 && target < 1)) {
            throw new IllegalArgumentException("target sparsity must be in [0, 1), got " + target);
        }
        if (shape.length != 4) {
            throw new IllegalArgumentException(parameter + ": not a convolution weight (OIHW)");
        }
        long weights = (long) shape[0] * shape[1] * shape[2] * shape[3];
        if (weights < MIN_WEIGHTS || target == 0) {
            return new LayerScheme(parameter, shape, Kind.DENSE, 0, 0, 0);
        }
        if (shape[2] == 3 && shape[3] == 3) {
            double patternKeeps = (double) Masks.PATTERN_SIZE / 9;
            // kept = pattern share x kernels kept, so the kernels' removal rate makes up the rest of the target
            double connectivity = shape[1] == 1 ? 0 : Math.max(0, 1 - (1 - target) / patternKeeps);
            return new LayerScheme(parameter, shape, Kind.PATTERN, 0, 0, connectivity);
        }
        return new LayerScheme(parameter, shape, Kind.BLOCK, Math.min(BLOCK_FILTERS, shape[0]),
                Math.min(BLOCK_CHANNELS, shape[1]), target);
    }
}
