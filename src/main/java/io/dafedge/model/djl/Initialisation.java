package io.dafedge.model.djl;

/**
 * What fills a network built from an ONNX graph: the file's own weights (the teacher) or fresh random ones (the
 * student), and how each Clip's bounds carry over.
 */
interface Initialisation {
    /** The part a parameter plays, which decides a fresh value. */
    enum Role {
        CONV_WEIGHT, BIAS, SCALE, SHIFT
    }

    /** The values of a parameter of {@code shape}; {@code fromFile} are the values the ONNX file gives it. */
    float[] values(Role role, long[] shape, float[] fromFile);

    /** The bounds to use for a Clip whose file bounds are {@code lo} and {@code hi} (infinite when absent). */
    float[] clip(float lo, float hi);

    /** Whether the parameters take gradients. */
    boolean trainable();
}
