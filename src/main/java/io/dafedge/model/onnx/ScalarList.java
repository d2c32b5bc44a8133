package io.dafedge.model.onnx;

import java.util.Arrays;

/**
 * A growable list for the values of a repeated numeric field. Floats and doubles are kept as their bit patterns, so one
 * class serves varint, fixed32 and fixed64 fields alike.
 */
final class ScalarList {
    private long[] values = new long[8];
    private int size;

    void add(long value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    int size() {
        return size;
    }

    long[] toLongs() {
        return Arrays.copyOf(values, size);
    }

    float[] toFloats() {
        float[] out = new float[size];
        for (int i = 0; i < size; i++) {
            out[i] = Float.intBitsToFloat((int) values[i]);
        }
        return out;
    }

    double[] toDoubles() {
        double[] out = new double[size];
        for (int i = 0; i < size; i++) {
            out[i] = Double.longBitsToDouble(values[i]);
        }
        return out;
    }
}
