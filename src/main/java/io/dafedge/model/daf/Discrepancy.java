package io.dafedge.model.daf;

import io.dafedge.model.FeatureMap;

/**
 * DAF's teacher-student discrepancy of one image at one level, in plain Java (inference without DJL, and the
 * independent reference for {@link DjlDiscrepancy}): per pixel and channel
 * {@code D = (1 - SSIM(n(S), n(T))) + (1 - cos_c(S, T))}. Sums run in double so that the reference is the more
 * exact of the two implementations.
 */
public final class Discrepancy {
    /** PyTorch's {@code cosine_similarity} guard: a zero feature vector scores 0 rather than NaN. */
    static final double COSINE_EPS = 1e-8;

    private final Normalisation normalisation;

    public Discrepancy(Normalisation normalisation) {
        this.normalisation = normalisation;
    }

    /** {@code D}, of the features' shape. */
    public FeatureMap map(FeatureMap student, FeatureMap teacher) {
        float[] ssim = ssim(student, teacher).data();
        float[] cos = cosine(student, teacher);
        int plane = cos.length;
        float[] d = new float[ssim.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = (1 - ssim[i]) + (1 - cos[i % plane]);
        }
        return new FeatureMap(student.channels(), student.height(), student.width(), d);
    }

    /** The SSIM index map per channel of the normalised, reflect-padded maps (valid window, so the input's size). */
    public FeatureMap ssim(FeatureMap student, FeatureMap teacher) {
        requireSameShape(student, teacher);
        int h = student.height();
        int w = student.width();
        double[] taps = SsimWindow.taps();
        float[] out = new float[student.data().length];
        for (int c = 0; c < student.channels(); c++) {
            double[] x = normalisedPadded(student, c);
            double[] y = normalisedPadded(teacher, c);
            double[][] products = {x, y, new double[x.length], new double[x.length], new double[x.length]};
            for (int i = 0; i < x.length; i++) {
                products[2][i] = x[i] * x[i];
                products[3][i] = y[i] * y[i];
                products[4][i] = x[i] * y[i];
            }
            double[][] moments = new double[5][];
            for (int k = 0; k < 5; k++) {
                moments[k] = blurValid(products[k], w + 2 * SsimWindow.PAD, h, w, taps);
            }
            for (int i = 0; i < h * w; i++) {
                out[c * h * w + i] = (float) SsimWindow.index(moments[0][i], moments[1][i], moments[2][i],
                        moments[3][i], moments[4][i]);
            }
        }
        return new FeatureMap(student.channels(), h, w, out);
    }

    /** Cosine similarity over channels at every pixel, {@code height x width}. */
    public static float[] cosine(FeatureMap student, FeatureMap teacher) {
        requireSameShape(student, teacher);
        int plane = student.height() * student.width();
        float[] s = student.data();
        float[] t = teacher.data();
        float[] out = new float[plane];
        for (int p = 0; p < plane; p++) {
            double st = 0;
            double ss = 0;
            double tt = 0;
            for (int i = p; i < s.length; i += plane) {
                st += (double) s[i] * t[i];
                ss += (double) s[i] * s[i];
                tt += (double) t[i] * t[i];
            }
            out[p] = (float) (st / Math.sqrt(Math.max(ss * tt, COSINE_EPS * COSINE_EPS)));
        }
        return out;
    }

    /** Mean over channels at every pixel, {@code height x width}: the level's contribution to the anomaly map. */
    public static float[] channelMean(FeatureMap map) {
        int plane = map.height() * map.width();
        float[] d = map.data();
        float[] out = new float[plane];
        for (int p = 0; p < plane; p++) {
            double sum = 0;
            for (int i = p; i < d.length; i += plane) {
                sum += d[i];
            }
            out[p] = (float) (sum / map.channels());
        }
        return out;
    }

    private double[] normalisedPadded(FeatureMap f, int c) {
        int h = f.height();
        int w = f.width();
        float[] d = f.data();
        int base = c * h * w;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = base; i < base + h * w; i++) {
            min = Math.min(min, d[i]);
            max = Math.max(max, d[i]);
        }
        int pad = SsimWindow.PAD;
        int pw = w + 2 * pad;
        double[] out = new double[(h + 2 * pad) * pw];
        for (int y = 0; y < h + 2 * pad; y++) {
            int row = base + reflect(y - pad, h) * w;
            for (int x = 0; x < pw; x++) {
                out[y * pw + x] = normalisation.apply(d[row + reflect(x - pad, w)], min, max);
            }
        }
        return out;
    }

    /** PyTorch's 'reflect' padding (c b | a b c | b a): the edge pixel is not repeated. */
    static int reflect(int i, int n) {
        if (i < 0) {
            return -i;
        }
        return i < n ? i : 2 * (n - 1) - i;
    }

    /** Separable valid convolution of a {@code (h + 2 PAD) x pw} map down to {@code h x w}. */
    private static double[] blurValid(double[] map, int pw, int h, int w, double[] taps) {
        int ph = h + 2 * SsimWindow.PAD;
        double[] rows = new double[ph * w];
        for (int y = 0; y < ph; y++) {
            for (int x = 0; x < w; x++) {
                double acc = 0;
                for (int k = 0; k < taps.length; k++) {
                    acc += taps[k] * map[y * pw + x + k];
                }
                rows[y * w + x] = acc;
            }
        }
        double[] out = new double[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double acc = 0;
                for (int k = 0; k < taps.length; k++) {
                    acc += taps[k] * rows[(y + k) * w + x];
                }
                out[y * w + x] = acc;
            }
        }
        return out;
    }

    static void requireSameShape(FeatureMap a, FeatureMap b) {
        if (a.channels() != b.channels() || a.height() != b.height() || a.width() != b.width()) {
            throw new IllegalArgumentException("student " + a.channels() + "x" + a.height() + "x" + a.width()
                    + " and teacher " + b.channels() + "x" + b.height() + "x" + b.width() + " differ in shape");
        }
        SsimWindow.requirePaddable(a.height(), a.width());
    }
}
