package io.dafedge.kernels;

/** A native operator from one HWC array to another, with an optional residual added in its epilogue. */
public interface HwcOperator {
    /** Values of the HWC output for an input of {@code height x width}. */
    int outputLength(int height, int width);

    /**
     * Into {@code output}, which must not be {@code input}; it may be {@code residual}, which is then added to in
     * place. {@code residual} (the output's shape) may be null.
     */
    void run(float[] input, int height, int width, float[] residual, float[] output);

    /**
     * As {@link #run(float[], int, int, float[], float[])} on {@code threads} threads (the caller's included) instead
     * of the operator's own count: for a caller whose share of the cores changes from call to call.
     */
    void run(float[] input, int height, int width, float[] residual, float[] output, int threads);

    /** Into a new HWC array. */
    default float[] run(float[] input, int height, int width) {
        return run(input, height, width, null);
    }

    /** Into a new HWC array, {@code residual} added in the epilogue. */
    default float[] run(float[] input, int height, int width, float[] residual) {
        float[] output = new float[outputLength(height, width)];
        run(input, height, width, residual, output);
        return output;
    }
}
