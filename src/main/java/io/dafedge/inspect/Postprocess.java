package io.dafedge.inspect;

import java.util.function.Predicate;

import io.dafedge.model.AnomalyMap;
import io.dafedge.model.Preprocessing;
import io.dafedge.synth.Image;
import io.dafedge.synth.ImageFiles;

/**
 * From a detector's map to what is reported and stored: verdict, defect regions, the heat-map overlay and a
 * thumbnail of the inspected image. Stateless; one instance serves every line.
 */
public final class Postprocess {
    public static final int DEFAULT_MAX_REGIONS = 32;
    public static final int DEFAULT_THUMBNAIL_SIDE = 256;
    /** The heat map's opacity over the picture. */
    static final double OVERLAY_ALPHA = 0.5;
    /** Magenta: no colour of the JET scale, so a box stays visible over any score. */
    static final int[] BOX_RGB = {255, 0, 255};

    private final int maxRegions;
    private final int thumbnailSide;

    public Postprocess() {
        this(DEFAULT_MAX_REGIONS, DEFAULT_THUMBNAIL_SIDE);
    }

    /**
     * @param maxRegions    regions reported per frame at most; the rest are only counted
     * @param thumbnailSide the longest side of a thumbnail at most, in pixels
     */
    public Postprocess(int maxRegions, int thumbnailSide) {
        if (maxRegions < 0 || thumbnailSide < 1) {
            throw new IllegalArgumentException("maxRegions must be >= 0 and thumbnailSide >= 1, got " + maxRegions
                    + " and " + thumbnailSide);
        }
        this.maxRegions = maxRegions;
        this.thumbnailSide = thumbnailSide;
    }

    /**
     * Judges the map and draws it. The overlay's colour scale is fixed per line, from 0 (blue) to twice the
     * threshold (red), so the threshold sits mid-scale and a colour means the same score on every frame of a line.
     *
     * @param inspected the image the detector was given (any channel count)
     * @throws IllegalArgumentException when the score or threshold is not a finite number: a broken model must
     *                                  fail the frame, not pass it as OK
     */
    public InspectionOutcome run(AnomalyMap map, float threshold, FrameGeometry geometry, Image inspected) {
        return run(map, threshold, geometry, inspected, verdict -> true);
    }

    /**
     * {@link #run(AnomalyMap, float, FrameGeometry, Image)}, drawing and encoding the overlay only for the verdicts
     * {@code overlays} accepts (the outcome's overlay is null for the others): it is the costliest step.
     */
    public InspectionOutcome run(AnomalyMap map, float threshold, FrameGeometry geometry, Image inspected,
            Predicate<Verdict> overlays) {
        if (!Float.isFinite(map.score()) || !Float.isFinite(threshold)) {
            throw new IllegalArgumentException("score " + map.score() + " or threshold " + threshold + " is not finite");
        }
        Verdict verdict = map.score() >= threshold ? Verdict.NOK : Verdict.OK;
        Regions regions = Regions.find(map, threshold, geometry, maxRegions);
        if (!overlays.test(verdict)) {
            return new InspectionOutcome(verdict, map.score(), threshold, regions, null);
        }
        Image base = Preprocessing.resize(inspected.toChannels(3), map.width(), map.height());
        Image overlay = HeatMapOverlay.draw(base, map.values(), 0f, 2 * threshold, OVERLAY_ALPHA);
        for (DefectRegion r : regions.regions()) {
            outline(overlay, r.mapBox());
        }
        return new InspectionOutcome(verdict, map.score(), threshold, regions, ImageFiles.encodePng(overlay));
    }

    /** The inspected image shrunk (never enlarged) to fit {@code thumbnailSide}, aspect kept, alpha dropped, as PNG. */
    public byte[] thumbnailPng(Image inspected) {
        return ImageFiles.encodePng(thumbnail(inspected));
    }

    Image thumbnail(Image inspected) {
        Image colour = inspected.withoutAlpha();
        int longest = Math.max(colour.width, colour.height);
        if (longest <= thumbnailSide) {
            return colour;
        }
        double s = (double) thumbnailSide / longest;
        int w = Math.max(1, (int) Math.round(colour.width * s));
        int h = Math.max(1, (int) Math.round(colour.height * s));
        return Preprocessing.resize(colour, w, h);
    }

    /** A one-pixel frame along the inside of the box. */
    private static void outline(Image rgb, Box b) {
        for (int x = b.x(); x < b.right(); x++) {
            paint(rgb, x, b.y());
            paint(rgb, x, b.bottom() - 1);
        }
        for (int y = b.y(); y < b.bottom(); y++) {
            paint(rgb, b.x(), y);
            paint(rgb, b.right() - 1, y);
        }
    }

    private static void paint(Image rgb, int x, int y) {
        int i = (y * rgb.width + x) * 3;
        for (int c = 0; c < 3; c++) {
            rgb.data[i + c] = (byte) BOX_RGB[c];
        }
    }
}
