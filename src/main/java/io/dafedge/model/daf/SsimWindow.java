package io.dafedge.model.daf;

/**
 * The SSIM settings of the reference (pytorch_msssim's defaults with data range 1): a separable Gaussian window of
 * 11 taps, sigma 1.5, applied as a valid convolution to maps reflect-padded by {@link #PAD}, so the index map comes
 * back at the feature map's size.
 */
final class SsimWindow {
    static final int SIZE = 11;
    static final double SIGMA = 1.5;
    static final int PAD = SIZE / 2;
    static final double DATA_RANGE = 1;
    static final double C1 = square(0.01 * DATA_RANGE);
    static final double C2 = square(0.03 * DATA_RANGE);

    private SsimWindow() {
    }

    /** The normalised 1-D window. */
    static double[] taps() {
        double[] g = new double[SIZE];
        double sum = 0;
        for (int i = 0; i < SIZE; i++) {
            int d = i - SIZE / 2;
            g[i] = Math.exp(-d * d / (2 * SIGMA * SIGMA));
            sum += g[i];
        }
        for (int i = 0; i < SIZE; i++) {
            g[i] /= sum;
        }
        return g;
    }

    /** SSIM from the windowed moments (alpha = beta = gamma = 1). */
    static double index(double mu1, double mu2, double ex2, double ey2, double exy) {
        double var1 = ex2 - mu1 * mu1;
        double var2 = ey2 - mu2 * mu2;
        double cov = exy - mu1 * mu2;
        return (2 * mu1 * mu2 + C1) / (mu1 * mu1 + mu2 * mu2 + C1) * (2 * cov + C2) / (var1 + var2 + C2);
    }

    /** Reflect padding needs more pixels than it adds on each side. */
    static void requirePaddable(long height, long width) {
        if (height <= PAD || width <= PAD) {
            throw new IllegalArgumentException("a " + height + "x" + width + " map is too small to reflect-pad by "
                    + PAD);
        }
    }

    private static double square(double v) {
        return v * v;
    }
}
