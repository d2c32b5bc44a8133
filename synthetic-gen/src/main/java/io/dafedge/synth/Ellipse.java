package io.dafedge.synth;

/** A rotated ellipse's own frame, in which it is the unit circle: round footprints and defects are drawn in it. */
public final class Ellipse {
    /** Receives a pixel's index and its position (u, v) in the ellipse frame. */
    public interface Visitor {
        void visit(int index, int x, int y, double u, double v);
    }

    private final double cos;
    private final double sin;
    private final double cx;
    private final double cy;
    private final double rx;
    private final double ry;

    public Ellipse(double cx, double cy, double rx, double ry, double angle) {
        this.cx = cx;
        this.cy = cy;
        this.rx = rx;
        this.ry = ry;
        this.cos = StrictMath.cos(angle);
        this.sin = StrictMath.sin(angle);
    }

    /** Visits every image pixel within {@code reach} ellipse radii of the centre (and a few just outside). */
    public void scan(double reach, int width, int height, Visitor visitor) {
        double r = Math.max(rx, ry) * reach + 1;
        int x0 = Math.max(0, (int) Math.floor(cx - r));
        int x1 = Math.min(width - 1, (int) Math.ceil(cx + r));
        int y0 = Math.max(0, (int) Math.floor(cy - r));
        int y1 = Math.min(height - 1, (int) Math.ceil(cy + r));
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                double dx = x - cx;
                double dy = y - cy;
                visitor.visit(y * width + x, x, y, (dx * cos + dy * sin) / rx, (dy * cos - dx * sin) / ry);
            }
        }
    }

    /** Image-space x of the frame direction (u, v); with {@link #imageY} it turns frame vectors back. */
    public double imageX(double u, double v) {
        return u * cos - v * sin;
    }

    public double imageY(double u, double v) {
        return u * sin + v * cos;
    }
}
