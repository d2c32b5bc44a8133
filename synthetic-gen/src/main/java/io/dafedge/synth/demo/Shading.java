package io.dafedge.synth.demo;

/**
 * Small numeric helpers shared by the product and defect renderers. Shapes are anti-aliased by evaluating a
 * signed distance at the pixel centre and treating one pixel as the transition width. Throughout the package,
 * trigonometry and exp go through StrictMath (and roots through the exactly rounded Math.sqrt), so a seed gives the
 * same bytes on every JVM and CPU.
 */
final class Shading {
    /** Direction towards the line's lamp in image coordinates (upper left), shared so parts and dents agree. */
    static final double LIGHT_X = -0.6;
    static final double LIGHT_Y = -0.8;

    private Shading() {
    }

    static double clamp01(double v) {
        return v < 0 ? 0 : Math.min(v, 1);
    }

    static double lerp(double a, double b, double t) {
        return a + (b - a) * t;
    }

    /** Hermite step from 0 at {@code edge0} to 1 at {@code edge1}; works for either edge order. */
    static double smoothstep(double edge0, double edge1, double x) {
        double t = clamp01((x - edge0) / (edge1 - edge0));
        return t * t * (3 - 2 * t);
    }

    /** Pixel coverage of a disc of {@code radius} at distance {@code d} from its centre. */
    static double inside(double d, double radius) {
        return clamp01(radius - d + 0.5);
    }

    /** Pixel coverage of the ring {@code inner < d < outer}. */
    static double band(double d, double inner, double outer) {
        return clamp01(Math.min(d - inner, outer - d) + 0.5);
    }

    /** A byte-clamped, rounded channel value. */
    static byte toByte(double v) {
        return (byte) (v <= 0 ? 0 : v >= 255 ? 255 : (int) (v + 0.5));
    }

    /** Stores one RGB pixel of an interleaved 3-channel buffer. */
    static void putRgb(byte[] rgb, int pixel, double r, double g, double b) {
        int o = pixel * 3;
        rgb[o] = toByte(r);
        rgb[o + 1] = toByte(g);
        rgb[o + 2] = toByte(b);
    }
}
