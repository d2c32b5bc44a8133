package io.dafedge.prune;

import java.util.Arrays;
import java.util.SplittableRandom;

import io.dafedge.kernels.Conv2d;
import io.dafedge.kernels.Isa;
import io.dafedge.kernels.Packing;

/**
 * Times a layer on the compiled kernels the way the compiled detector will run it: random weights under the
 * scheme's mask (its cost depends on which rows are kept, not on the values), packed sparse when pruned, on one
 * thread (the detector's networks get one each), median of a few runs after a warm-up.
 */
public final class KernelTimer implements SearchMapper.Timer {
    private static final int WARMUP = 2;
    private static final int RUNS = 7;

    @Override
    public double ms(SearchMapper.Candidate layer, LayerScheme scheme) {
        SplittableRandom random = new SplittableRandom(layer.parameter().hashCode());
        float[] w = new float[layer.shape().weightCount()];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextGaussian();
        }
        float[] mask = scheme.mask(w, 1);
        if (mask != null) {
            for (int i = 0; i < w.length; i++) {
                w[i] *= mask[i];
            }
        }
        float[] in = new float[layer.height() * layer.width() * layer.shape().inChannels()];
        for (int i = 0; i < in.length; i++) {
            in[i] = (float) random.nextGaussian();
        }
        Packing packing = mask == null ? Packing.DENSE : Packing.SPARSE;
        try (Conv2d conv = Conv2d.create(layer.shape(), w, null, Isa.selected(), 1, packing)) {
            float[] out = new float[conv.outputLength(layer.height(), layer.width())];
            double[] ms = new double[RUNS];
            for (int r = -WARMUP; r < RUNS; r++) {
                long start = System.nanoTime();
                conv.run(in, layer.height(), layer.width(), null, out);
                if (r >= 0) {
                    ms[r] = (System.nanoTime() - start) / 1e6;
                }
            }
            Arrays.sort(ms);
            return ms[RUNS / 2];
        }
    }
}
