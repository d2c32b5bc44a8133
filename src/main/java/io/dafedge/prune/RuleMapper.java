package io.dafedge.prune;

import io.dafedge.prune.LayerScheme.Kind;

/**
 * Chooses a layer's scheme from its shape alone, in the form the compiled kernels (native-kernels/) can skip: they
 * compute a tile of up to {@value #BLOCK_FILTERS} output channels at once and can leave out a (kernel position,
 * input channel) weight row only when it is zero for the whole tile. So blocks are {@value #BLOCK_FILTERS} filters x
 * 1 input channel, aligned with the tiles of every instruction set (32, 16 or 8 wide, starting at filter 0):
 * block-punched pruning for every kernel size but 3x3 (1x1 included), and for 3x3 one pattern per block and input
 * channel (PatDNN's patterns, shared by the block) plus connectivity pruning of whole block kernels. Depthwise
 * layers stay dense: their kernel holds channels, not filters, in a vector, so a per-channel pattern removes no
 * whole vector, and removing whole kernels there removes channels. Layers too small to gain stay dense too.
 */
public final class RuleMapper {
    /** Layers with fewer weights stay dense: the first convolution on the RGB input, single-channel heads. */
    static final int MIN_WEIGHTS = 1024;
    /** The widest tile of the compiled kernels (two AVX-512 vectors). */
    static final int BLOCK_FILTERS = 32;
    static final int BLOCK_CHANNELS = 1;

    private RuleMapper() {
    }

    /** @param target the fraction of the layer's weights to remove, in [0, 1) */
    public static LayerScheme map(String parameter, int[] shape, double target) {
        if (!(target >= 0 && target < 1)) {
            throw new IllegalArgumentException("target sparsity must be in [0, 1), got " + target);
        }
        if (shape.length != 4) {
            throw new IllegalArgumentException(parameter + ": not a convolution weight (OIHW)");
        }
        long weights = (long) shape[0] * shape[1] * shape[2] * shape[3];
        if (weights < MIN_WEIGHTS || target == 0 || shape[1] == 1) {
            return new LayerScheme(parameter, shape, Kind.DENSE, 0, 0, 0);
        }
        int filters = Math.min(BLOCK_FILTERS, shape[0]);
        if (shape[2] == 3 && shape[3] == 3) {
            double patternKeeps = (double) Masks.PATTERN_SIZE / 9;
            // kept = pattern share x kernels kept, so the kernels' removal rate makes up the rest of the target
            double connectivity = Math.max(0, 1 - (1 - target) / patternKeeps);
            return new LayerScheme(parameter, shape, Kind.PATTERN, filters, 1, connectivity);
        }
        return new LayerScheme(parameter, shape, Kind.BLOCK, filters, BLOCK_CHANNELS, target);
    }
}
