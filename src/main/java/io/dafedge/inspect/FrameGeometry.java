package io.dafedge.inspect;

import io.dafedge.ingest.CameraSettings;
import io.dafedge.synth.Image;

/**
 * Where the inspected image comes from in a camera's frame, and the way back: the camera's ROI is cut out of the
 * frame and turned clockwise by its rotation (exact quarter turns, no resampling); a detector's map covers the whole
 * inspected image, resized non-uniformly, so a map position goes back to the frame by undoing the resize, then the
 * rotation, then adding the ROI's offset.
 *
 * <p>Map coordinates are continuous: map pixel (i, j) spans [i, i + 1) x [j, j + 1), its centre is (i + 0.5, j + 0.5).
 * One geometry serves every frame of one camera at one frame size.
 */
public final class FrameGeometry {
    private final String camera;
    private final int frameWidth;
    private final int frameHeight;
    private final Box roi;
    private final int rotation;

    private FrameGeometry(String camera, int frameWidth, int frameHeight, Box roi, int rotation) {
        this.camera = camera;
        this.frameWidth = frameWidth;
        this.frameHeight = frameHeight;
        this.roi = roi;
        this.rotation = rotation;
    }

    /**
     * The camera's geometry for frames of the given size.
     *
     * @throws IllegalArgumentException naming the camera when its ROI does not lie inside such a frame
     */
    public static FrameGeometry of(CameraSettings camera, int frameWidth, int frameHeight) {
        Box roi = camera.roi()
                .map(r -> new Box(r.x(), r.y(), r.width(), r.height()))
                .orElse(new Box(0, 0, frameWidth, frameHeight));
        // long sums: x + width of a mistyped ROI may overflow int and pass the check
        if ((long) roi.x() + roi.width() > frameWidth || (long) roi.y() + roi.height() > frameHeight) {
            throw new IllegalArgumentException("camera " + camera.id() + ": ROI " + roi.x() + "," + roi.y() + ","
                    + roi.width() + "," + roi.height() + " does not fit inside its " + frameWidth + "x" + frameHeight
                    + " frame");
        }
        return new FrameGeometry(camera.id(), frameWidth, frameHeight, roi, camera.rotation());
    }

    public int inspectedWidth() {
        return quarterTurned() ? roi.height() : roi.width();
    }

    public int inspectedHeight() {
        return quarterTurned() ? roi.width() : roi.height();
    }

    private boolean quarterTurned() {
        return rotation == 90 || rotation == 270;
    }

    /**
     * The ROI of {@code frame}, turned clockwise by the camera's rotation, with the frame's channels. Without ROI and
     * rotation this is {@code frame} itself, not a copy.
     */
    public Image inspected(Image frame) {
        if (frame.width != frameWidth || frame.height != frameHeight) {
            throw new IllegalArgumentException("camera " + camera + ": frame of " + frame.width + "x" + frame.height
                    + " given to a geometry for " + frameWidth + "x" + frameHeight + " frames");
        }
        if (rotation == 0) {
            boolean whole = roi.width() == frameWidth && roi.height() == frameHeight;
            return whole ? frame : frame.crop(roi.x(), roi.y(), roi.width(), roi.height());
        }
        int ch = frame.channels;
        int w = inspectedWidth();
        int h = inspectedHeight();
        Image out = new Image(w, h, ch);
        int rowStride = frameWidth * ch;
        // walking one output row is a straight walk through the frame: up a column (90), left along a row (180) or
        // down a column (270); only its start and step depend on the rotation
        int step = switch (rotation) {
            case 90 -> -rowStride;
            case 180 -> -ch;
            default -> rowStride;
        };
        int d = 0;
        for (int r = 0; r < h; r++) {
            int sx = switch (rotation) {
                case 90 -> r;
                case 180 -> roi.width() - 1;
                default -> roi.width() - 1 - r;
            };
            int sy = switch (rotation) {
                case 90 -> roi.height() - 1;
                case 180 -> roi.height() - 1 - r;
                default -> 0;
            };
            int s = (roi.y() + sy) * rowStride + (roi.x() + sx) * ch;
            for (int c = 0; c < w; c++, s += step) {
                for (int k = 0; k < ch; k++) {
                    out.data[d++] = frame.data[s + k];
                }
            }
        }
        return out;
    }

    /** A point of a {@code mapWidth} x {@code mapHeight} map, in continuous frame coordinates. */
    public Point toFrame(double mapX, double mapY, int mapWidth, int mapHeight) {
        double a = mapX * inspectedWidth() / mapWidth;
        double b = mapY * inspectedHeight() / mapHeight;
        int w = roi.width();
        int h = roi.height();
        return switch (rotation) {
            case 0 -> new Point(roi.x() + a, roi.y() + b);
            case 90 -> new Point(roi.x() + b, roi.y() + h - a);
            case 180 -> new Point(roi.x() + w - a, roi.y() + h - b);
            default -> new Point(roi.x() + w - b, roi.y() + a);
        };
    }

    /**
     * The frame pixels a box of map pixels covers, rounded outward: every frame pixel that a map pixel of the box
     * touches is inside. Exact integer arithmetic, so a box is never widened by a rounding error.
     */
    public Box toFrame(Box mapBox, int mapWidth, int mapHeight) {
        if (mapBox.x() < 0 || mapBox.y() < 0 || mapBox.right() > mapWidth || mapBox.bottom() > mapHeight) {
            throw new IllegalArgumentException("box " + mapBox + " outside the " + mapWidth + "x" + mapHeight + " map");
        }
        int a0 = floorScale(mapBox.x(), inspectedWidth(), mapWidth);
        int a1 = ceilScale(mapBox.right(), inspectedWidth(), mapWidth);
        int b0 = floorScale(mapBox.y(), inspectedHeight(), mapHeight);
        int b1 = ceilScale(mapBox.bottom(), inspectedHeight(), mapHeight);
        int w = roi.width();
        int h = roi.height();
        // the same inverse turns as for points, applied to both corners; the corners swap where an axis flips
        return switch (rotation) {
            case 0 -> span(a0, a1, b0, b1);
            case 90 -> span(b0, b1, h - a1, h - a0);
            case 180 -> span(w - a1, w - a0, h - b1, h - b0);
            default -> span(w - b1, w - b0, a0, a1);
        };
    }

    /** Frame pixels per map pixel: the inspected image's area over the map's (turning keeps area). */
    public double frameAreaPerMapPixel(int mapWidth, int mapHeight) {
        return (double) roi.width() * roi.height() / ((double) mapWidth * mapHeight);
    }

    private Box span(int x0, int x1, int y0, int y1) {
        return new Box(roi.x() + x0, roi.y() + y0, x1 - x0, y1 - y0);
    }

    private static int floorScale(int v, int to, int from) {
        return (int) ((long) v * to / from);
    }

    private static int ceilScale(int v, int to, int from) {
        return (int) (((long) v * to + from - 1) / from);
    }

    /** A position in continuous frame coordinates (pixel (x, y) spans [x, x + 1) x [y, y + 1)). */
    public record Point(double x, double y) {
    }
}
