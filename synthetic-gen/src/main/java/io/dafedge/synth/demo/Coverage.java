package io.dafedge.synth.demo;

/**
 * An anti-aliased coverage raster (0..1 per pixel) that thin strokes are drawn into. Overlapping pieces keep the
 * larger coverage, so joints between segments and crossing branches do not darken twice.
 */
final class Coverage {
    final int width;
    final int height;
    final float[] alpha;

    Coverage(int width, int height) {
        this.width = width;
        this.height = height;
        this.alpha = new float[width * height];
    }

    /** A polyline through {@code points}, each {x, y, half-width, opacity}, both interpolated along each segment. */
    void stroke(double[][] points) {
        for (int k = 0; k + 1 < points.length; k++) {
            segment(points[k], points[k + 1]);
        }
    }

    private void segment(double[] a, double[] b) {
        double reach = Math.max(a[2], b[2]) + 1;
        int x0 = Math.max(0, (int) Math.floor(Math.min(a[0], b[0]) - reach));
        int x1 = Math.min(width - 1, (int) Math.ceil(Math.max(a[0], b[0]) + reach));
        int y0 = Math.max(0, (int) Math.floor(Math.min(a[1], b[1]) - reach));
        int y1 = Math.min(height - 1, (int) Math.ceil(Math.max(a[1], b[1]) + reach));
        double ex = b[0] - a[0];
        double ey = b[1] - a[1];
        double len2 = ex * ex + ey * ey;
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                double t = len2 == 0 ? 0 : Shading.clamp01(((x - a[0]) * ex + (y - a[1]) * ey) / len2);
                double px = x - a[0] - t * ex;
                double py = y - a[1] - t * ey;
                double d = Math.sqrt(px * px + py * py);
                double r = Shading.lerp(a[2], b[2], t);
                // a line narrower than a pixel covers it only partly even at its centre
                double cover = Shading.clamp01(r + 0.5 - d) * Math.min(1, 2 * r) * Shading.lerp(a[3], b[3], t);
                int i = y * width + x;
                if (cover > alpha[i]) {
                    alpha[i] = (float) cover;
                }
            }
        }
    }
}
