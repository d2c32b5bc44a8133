package io.dafedge.prune;

import java.util.Arrays;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dafedge.model.ModelBundle;

/**
 * How one convolution's weights (OIHW) are pruned, and how far.
 *
 * @param parameter     the weight's name in the network
 * @param shape         its OIHW shape
 * @param kind          the pruning scheme
 * @param blockFilters  filters per block (0 for {@link Kind#DENSE})
 * @param blockChannels input channels per block (0 for {@link Kind#DENSE}; 1 for {@link Kind#PATTERN})
 * @param rate          the final rate: of (block, position) groups removed for {@link Kind#BLOCK}, of whole kernels
 *                      removed after the pattern for {@link Kind#PATTERN}
 */
public record LayerScheme(String parameter, int[] shape, Kind kind, int blockFilters, int blockChannels,
        double rate) {
    public enum Kind {
        /** Left whole: too small to pay for a sparse kernel. */
        DENSE,
        /**
         * 3x3 kernels keep one of {@link Masks#PATTERNS}, the same for a block of filters on one input channel, then
         * whole block kernels are removed (connectivity).
         */
        PATTERN,
        /** The same kernel positions removed for a block of filters x input channels; any kernel size. */
        BLOCK
    }

    public LayerScheme {
        shape = shape.clone();
    }

    /** The mask at {@code progress} in [0, 1] of the way to the final rate; null for a dense layer. */
    public float[] mask(float[] weights, double progress) {
        return switch (kind) {
            case DENSE -> null;
            case PATTERN -> Masks.pattern(weights, shape, blockFilters, rate * progress);
            case BLOCK -> Masks.blockPunched(weights, shape, blockFilters, blockChannels, rate * progress);
        };
    }

    public long weights() {
        return (long) shape[0] * shape[1] * shape[2] * shape[3];
    }

    ObjectNode toJson() {
        ObjectNode o = ModelBundle.JSON.createObjectNode();
        o.put("parameter", parameter);
        o.put("shape", Arrays.toString(shape));
        o.put("scheme", kind.name().toLowerCase());
        if (kind != Kind.DENSE) {
            o.put("block", blockFilters + "x" + blockChannels);
        }
        if (kind != Kind.DENSE) {
            o.put(kind == Kind.PATTERN ? "connectivity_rate" : "block_rate", rate);
        }
        return o;
    }
}
