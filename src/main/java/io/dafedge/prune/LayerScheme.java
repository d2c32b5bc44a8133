package io.dafedge.prune;

import java.util.Arrays;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
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
            o.put(kind == Kind.PATTERN ? "connectivity_rate" : "block_rate", rate);
        }
        return o;
    }

    /**
     * A layer's scheme as {@link #toJson} writes it (a bundle manifest's {@code training.pruning.layers} entry), for
     * the weight of {@code shape}; refuses a scheme that does not fit it.
     */
    static LayerScheme fromJson(JsonNode o, int[] shape) {
        String parameter = o.path("parameter").asText();
        Kind kind;
        try {
            kind = Kind.valueOf(o.path("scheme").asText().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(parameter + ": scheme '" + o.path("scheme").asText()
                    + "' is not dense, pattern or block");
        }
        if (kind == Kind.DENSE) {
            return new LayerScheme(parameter, shape, kind, 0, 0, 0);
        }
        String[] block = o.path("block").asText().split("x");
        double rate = o.path(kind == Kind.PATTERN ? "connectivity_rate" : "block_rate").asDouble(-1);
        if (block.length != 2 || !(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException(parameter + ": needs a block like \"32x1\" and a rate in [0, 1)");
        }
        int filters;
        int channels;
        try {
            filters = Integer.parseInt(block[0]);
            channels = Integer.parseInt(block[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(parameter + ": block '" + o.path("block").asText() + "' is not FxC");
        }
        if (filters < 1 || channels < 1 || (kind == Kind.PATTERN && (shape[2] != 3 || shape[3] != 3))) {
            throw new IllegalArgumentException(parameter + ": a " + kind + " scheme does not fit a "
                    + Arrays.toString(shape) + " weight");
        }
        return new LayerScheme(parameter, shape, kind, filters, channels, rate);
    }
}
