package io.dafedge.inspect;

/**
 * One connected area of a map at or above the line's threshold.
 *
 * @param box       the frame pixels the region covers (original frame coordinates, rounded outward)
 * @param mapBox    the same region on the detector's map, which is also the overlay's pixel grid
 * @param area      the region's size in original frame pixels: its count of map pixels times the frame pixels one
 *                  map pixel stands for; an estimate at the map's resolution, not a count of frame pixels
 * @param maxScore  the highest map value in the region
 * @param meanScore the mean map value over the region
 */
public record DefectRegion(Box box, Box mapBox, double area, float maxScore, float meanScore) {
    /** The area in whole frame pixels, at least 1, as results and the store report it. */
    public long pixels() {
        return Math.max(1, Math.round(area));
    }
}
