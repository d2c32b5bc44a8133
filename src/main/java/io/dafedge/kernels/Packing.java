package io.dafedge.kernels;

/**
 * How {@link Conv2d#create(ConvShape, float[], float[], Isa, int, Packing)} packs the weights of a dense or grouped
 * convolution.
 * <p>
 * The kernel computes a tile of output channels at a time (two vectors: 32 channels on AVX-512, 16 on AVX2, 8
 * portable; see {@link Isa#lanes()}), reading for each kernel position (ky, kx) and input channel one row of the
 * tile's weights. {@link #SPARSE} keeps only the rows that are not all zero across the tile's channels and runs over
 * those alone, so its time falls with the kept fraction ({@link Conv2d#keptFraction()}). Pruning that removes a
 * position or input channel for whole blocks of 32 filters starting at filter 0 (block-punched pruning with 32 x 1
 * blocks, a pattern shared by a block) leaves whole rows zero on every ISA; zeros anywhere else give the same results
 * but save nothing.
 * <p>
 * A depthwise convolution is always packed dense: it is bound by memory, not arithmetic, and its per-channel zeros
 * cannot skip whole vectors.
 */
public enum Packing {
    /** Every row, zero or not: the fastest for weights that are not pruned (no row lists to follow). */
    DENSE,
    /** Only the rows with a weight that is not zero for some channel of the tile. */
    SPARSE
}
