package io.dafedge.model.djl;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A randomly initialised student of the teacher's structure, as the DAF reference builds it: conv weights Kaiming
 * normal with fan_out (std = sqrt(2 / (out_channels * kernel area)), as torchvision does), biases 0, BN scale 1 and
 * shift 0. Values come from one seeded Java generator in graph order, so a seed gives the same student anywhere,
 * whatever the engine's own random state.
 *
 * <p>Clip bounds: a quantised teacher's Clips record the ranges its activations took on ImageNet. Those ranges
 * describe the teacher, not an architecture, so the student does not inherit them. A Clip whose lower bound is
 * below 0 stands on a linear value (the input, a projection conv, a residual sum) and becomes identity; a Clip at 0
 * is the ReLU6 of the float network with the quantiser's tightened maximum, and gets ReLU6's 6 back (a wider bound,
 * such as a ReLU exported as Clip(0, inf), is kept).
 */
final class StudentWeights implements Initialisation {
    static final float RELU6 = 6f;

    private final SplittableRandom random;

    StudentWeights(long seed) {
        this.random = new SplittableRandom(seed);
    }

    @Override
    public float[] values(Role role, long[] shape, float[] fromFile) {
        float[] v = new float[fromFile.length];
        switch (role) {
            case CONV_WEIGHT -> {
                long fanOut = shape[0];
                for (int axis = 2; axis < shape.length; axis++) {
                    fanOut *= shape[axis];
                }
                double std = Math.sqrt(2.0 / fanOut);
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (random.nextGaussian() * std);
                }
            }
            case SCALE -> Arrays.fill(v, 1f);
            case BIAS, SHIFT -> {
                // a new float array is already zero
            }
        }
        return v;
    }

    @Override
    public float[] clip(float lo, float hi) {
        if (lo < 0) {
            return new float[] {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY};
        }
        return new float[] {lo, Math.max(hi, RELU6)};
    }

    @Override
    public boolean trainable() {
        return true;
    }
}
