package io.dafedge.model;

import java.util.Arrays;

import io.dafedge.synth.Image;

/** Operations on single-channel float maps (row-major, width x height) shared by all detectors' scoring. */
public final class Maps {
    private Maps() {
    }

    /** Bilinear resize with half-pixel centres, as {@link Image#resizePlane}: maps line up with their image. */
    public static float[] resize(float[] src, int sw, int sh, int dw, int dh) {
        return Image.resizePlane(src, sw, sh, dw, dh);
    }

    /**
     * Separable Gaussian blur, kernel truncated at 4 sigma, borders as SciPy's default ({@code mode='reflect'}, edge
     * pixel repeated), which the published DAF, PatchCore and PaDiM code uses to smooth the anomaly map.
     */
    public static float[] gaussianBlur(float[] map, int w, int h, double sigma) {
        float[] kernel = gaussianKernel(sigma);
        int radius = kernel.length / 2;
        float[] tmp = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float acc = 0;
                for (int k = -radius; k <= radius; k++) {
                    acc += kernel[k + radius] * map[y * w + reflect(x + k, w)];
                }
                tmp[y * w + x] = acc;
            }
        }
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float acc = 0;
                for (int k = -radius; k <= radius; k++) {
                    acc += kernel[k + radius] * tmp[reflect(y + k, h) * w + x];
                }
                out[y * w + x] = acc;
            }
        }
        return out;
    }

    /** The normalised 1-D kernel {@link #gaussianBlur} applies along each axis: {@code 2 r + 1} taps, r = 4 sigma. */
    public static float[] gaussianKernel(double sigma) {
        int radius = (int) (4 * sigma + 0.5);
        float[] kernel = new float[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            double v = StrictMath.exp(-0.5 * i * i / (sigma * sigma));
            kernel[i + radius] = (float) v;
            sum += v;
        }
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] /= (float) sum;
        }
        return kernel;
    }

    /** SciPy's 'reflect' (d c b a | a b c d | d c b a): the edge pixel is repeated. */
    static int reflect(int i, int n) {
        int period = 2 * n;
        i = Math.floorMod(i, period);
        return i < n ? i : period - 1 - i;
    }

    /** Mean of the {@code k} largest values (all of them when there are fewer). */
    public static float topKMean(float[] values, int k) {
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = Math.min(k, sorted.length);
        double sum = 0;
        for (int i = sorted.length - n; i < sorted.length; i++) {
            sum += sorted[i];
        }
        return (float) (sum / n);
    }

    public static float max(float[] values) {
        float m = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            m = Math.max(m, v);
        }
        return m;
    }
}
