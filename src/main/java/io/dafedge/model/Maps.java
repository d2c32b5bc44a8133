package io.dafedge.model;

import java.util.Arrays;

/** Operations on single-channel float maps (row-major, width x height) shared by all detectors' scoring. */
public final class Maps {
    private Maps() {
    }

    /**
     * Bilinear resize with half-pixel centres (PyTorch's {@code align_corners=False}, OpenCV's INTER_LINEAR without
     * anti-aliasing), so upsampled feature maps line up with the image the way the reference implementations do.
     */
    public static float[] resize(float[] src, int sw, int sh, int dw, int dh) {
        float[] out = new float[dw * dh];
        float sx = (float) sw / dw;
        float sy = (float) sh / dh;
        for (int y = 0; y < dh; y++) {
            float fy = Math.max(0f, (y + 0.5f) * sy - 0.5f);
            int y0 = Math.min((int) fy, sh - 1);
            int y1 = Math.min(y0 + 1, sh - 1);
            float wy = fy - y0;
            for (int x = 0; x < dw; x++) {
                float fx = Math.max(0f, (x + 0.5f) * sx - 0.5f);
                int x0 = Math.min((int) fx, sw - 1);
                int x1 = Math.min(x0 + 1, sw - 1);
                float wx = fx - x0;
                float top = src[y0 * sw + x0] * (1 - wx) + src[y0 * sw + x1] * wx;
                float bottom = src[y1 * sw + x0] * (1 - wx) + src[y1 * sw + x1] * wx;
                out[y * dw + x] = top * (1 - wy) + bottom * wy;
            }
        }
        return out;
    }

    /**
     * Separable Gaussian blur, kernel truncated at 4 sigma, borders as SciPy's default ({@code mode='reflect'}, edge
     * pixel repeated), which the published DAF, PatchCore and PaDiM code uses to smooth the anomaly map.
     */
    public static float[] gaussianBlur(float[] map, int w, int h, double sigma) {
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
