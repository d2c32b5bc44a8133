package io.dafedge.model.djl;

/**
 * The ONNX file's weights and Clip ranges, exactly: the network then computes what ONNX Runtime does. Frozen, or
 * trainable for fine-tuning a pruned copy of the teacher against the original.
 */
final class TeacherWeights implements Initialisation {
    private final boolean trainable;

    TeacherWeights() {
        this(false);
    }

    TeacherWeights(boolean trainable) {
        this.trainable = trainable;
    }

    @Override
    public float[] values(Role role, long[] shape, float[] fromFile) {
        return fromFile;
    }

    @Override
    public float[] clip(float lo, float hi) {
        return new float[] {lo, hi};
    }

    @Override
    public boolean trainable() {
        return trainable;
    }
}
