package io.dafedge.model.djl;

import java.util.Arrays;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;

/**
 * Batch normalisation over the channels of NCHW maps with PyTorch's BatchNorm2d defaults: scale 1, shift 0, running
 * mean 0 and variance 1 at the start, batch statistics in training (the running ones move 10 % towards them),
 * running statistics in inference.
 */
public final class BatchNorm2d {
    /**
     * DJL's momentum is the share of the running value kept (MXNet's convention), passed to PyTorch as 1 - it:
     * 0.9 here is PyTorch's default momentum of 0.1.
     */
    public static final float MOMENTUM = 0.9f;
    public static final float EPS = 1e-5f;

    private final Parameter gamma;
    private final Parameter beta;
    private final Parameter runningMean;
    private final Parameter runningVar;

    /** Parameters named {@code name.gamma}, {@code .beta}, {@code .running_mean}, {@code .running_var}. */
    public BatchNorm2d(String name, int channels, NDManager manager) {
        gamma = parameter(name + ".gamma", Parameter.Type.GAMMA, channels, 1f, true, manager);
        beta = parameter(name + ".beta", Parameter.Type.BETA, channels, 0f, true, manager);
        runningMean = parameter(name + ".running_mean", Parameter.Type.RUNNING_MEAN, channels, 0f, false, manager);
        runningVar = parameter(name + ".running_var", Parameter.Type.RUNNING_VAR, channels, 1f, false, manager);
    }

    public List<Parameter> parameters() {
        return List.of(gamma, beta, runningMean, runningVar);
    }

    public NDArray apply(NDArray x, boolean training) {
        return BatchNorm.batchNorm(x, runningMean.getArray(), runningVar.getArray(), gamma.getArray(),
                beta.getArray(), 1, MOMENTUM, EPS, training).singletonOrThrow();
    }

    private static Parameter parameter(String name, Parameter.Type type, int channels, float value,
                                       boolean trainable, NDManager manager) {
        float[] v = new float[channels];
        Arrays.fill(v, value);
        return Parameters.create(name, type, v, new Shape(channels), trainable, manager);
    }
}
