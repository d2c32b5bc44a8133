package io.dafedge.model.daf;

import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import io.dafedge.model.djl.OnnxNetwork;
import io.dafedge.model.onnx.OnnxGraphBuilder;
import io.dafedge.model.onnx.OnnxWriter.Attribute;

/**
 * Batch normalisation over channels followed by ReLU, with PyTorch's BatchNorm2d defaults: scale 1, shift 0,
 * running mean 0 and variance 1 at the start, batch statistics in training (running ones move 10 % towards them),
 * running statistics in inference.
 */
final class BatchNormRelu {
    /**
     * DJL's momentum is the share of the running value kept (MXNet's convention), passed to PyTorch as 1 - it:
     * 0.9 here is PyTorch's default momentum of 0.1.
     */
    static final float MOMENTUM = 0.9f;
    static final float EPS = 1e-5f;

    private final Parameter gamma;
    private final Parameter beta;
    private final Parameter runningMean;
    private final Parameter runningVar;

    BatchNormRelu(String name, int channels, NDManager manager) {
        Shape shape = new Shape(channels);
        gamma = ConvUnit.parameter(name + ".gamma", Parameter.Type.GAMMA, ConvUnit.filled(channels, 1f), shape, true,
                manager);
        beta = ConvUnit.parameter(name + ".beta", Parameter.Type.BETA, ConvUnit.filled(channels, 0f), shape, true,
                manager);
        runningMean = ConvUnit.parameter(name + ".running_mean", Parameter.Type.RUNNING_MEAN,
                ConvUnit.filled(channels, 0f), shape, false, manager);
        runningVar = ConvUnit.parameter(name + ".running_var", Parameter.Type.RUNNING_VAR,
                ConvUnit.filled(channels, 1f), shape, false, manager);
    }

    List<Parameter> parameters() {
        return List.of(gamma, beta, runningMean, runningVar);
    }

    NDArray apply(NDArray x, boolean training) {
        return BatchNorm.batchNorm(x, runningMean.getArray(), runningVar.getArray(), gamma.getArray(),
                beta.getArray(), 1, MOMENTUM, EPS, training).singletonOrThrow().maximum(0f);
    }

    /** Inference BN as {@code x * scale + shift}: {@code scale = gamma / sqrt(var + eps)}. */
    float[] scale() {
        float[] gammas = gamma.getArray().toFloatArray();
        float[] variances = runningVar.getArray().toFloatArray();
        float[] scale = new float[gammas.length];
        for (int c = 0; c < scale.length; c++) {
            scale[c] = (float) (gammas[c] / Math.sqrt((double) variances[c] + EPS));
        }
        return scale;
    }

    /** {@code shift = beta - mean * scale}. */
    float[] shift() {
        float[] scale = scale();
        float[] betas = beta.getArray().toFloatArray();
        float[] means = runningMean.getArray().toFloatArray();
        float[] shift = new float[scale.length];
        for (int c = 0; c < shift.length; c++) {
            shift[c] = betas[c] - means[c] * scale[c];
        }
        return shift;
    }

    /** {@link #apply} in inference as ONNX BatchNormalization (running statistics) and Relu; returns the output. */
    String export(OnnxGraphBuilder g, String out, String in) {
        List<String> inputs = List.of(in, OnnxNetwork.initializer(g, gamma), OnnxNetwork.initializer(g, beta),
                OnnxNetwork.initializer(g, runningMean), OnnxNetwork.initializer(g, runningVar));
        String normalised = g.op("BatchNormalization", out + "/bn", inputs, Attribute.of("epsilon", EPS));
        return g.op("Relu", out, List.of(normalised));
    }
}
