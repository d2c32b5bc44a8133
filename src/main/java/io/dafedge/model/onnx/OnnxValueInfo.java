package io.dafedge.model.onnx;

import java.util.List;
import java.util.Optional;

/**
 * A graph input or output as the file declares it: name, element type ({@link DataType} code, 0 when not a tensor or
 * not declared) and shape, absent when the file does not give the rank.
 */
public record OnnxValueInfo(String name, int elemType, Optional<List<Dim>> shape) {
    public OnnxValueInfo {
        shape = shape.map(List::copyOf);
    }

    /** A value known only by name, such as an inner value picked as the output of a pruned graph. */
    static OnnxValueInfo untyped(String name) {
        return new OnnxValueInfo(name, 0, Optional.empty());
    }

    /** One dimension: a number, a symbolic name such as "batch_size", or unknown. */
    public record Dim(long value, String param) {
        static final Dim UNKNOWN = new Dim(-1, "");

        public static Dim of(long value) {
            return new Dim(value, "");
        }

        public static Dim symbolic(String param) {
            return new Dim(-1, param);
        }

        public boolean isKnown() {
            return value >= 0;
        }

        @Override
        public String toString() {
            return isKnown() ? Long.toString(value) : param.isEmpty() ? "?" : param;
        }
    }
}
