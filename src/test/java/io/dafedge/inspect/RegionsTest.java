package io.dafedge.inspect;

import static io.dafedge.inspect.TestMaps.camera;
import static io.dafedge.inspect.TestMaps.draw;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import io.dafedge.ingest.CameraSettings.Roi;
import io.dafedge.model.AnomalyMap;
import org.junit.jupiter.api.Test;

class RegionsTest {
    /** The map is the frame: one map pixel per frame pixel, no ROI, no turn. */
    private static Regions find(AnomalyMap map, float threshold, int maxRegions) {
        FrameGeometry same = FrameGeometry.of(camera("c", null, 0), map.width(), map.height());
        return Regions.find(map, threshold, same, maxRegions);
    }

    private static final AnomalyMap FOUR = draw(9,
            "9.....",
            ".7..66",
            "......",
            "5....8",
            "....5.");

    @Test
    void componentsJoinAtCornersAndAreSortedByTheirMaximum() {
        Regions r = find(FOUR, 5, 32);
        assertEquals(0, r.omitted());
        assertEquals(List.of(
                new DefectRegion(new Box(0, 0, 2, 2), new Box(0, 0, 2, 2), 2, 9, 8),
                new DefectRegion(new Box(4, 3, 2, 2), new Box(4, 3, 2, 2), 2, 8, 6.5f),
                new DefectRegion(new Box(4, 1, 2, 1), new Box(4, 1, 2, 1), 2, 6, 6),
                new DefectRegion(new Box(0, 3, 1, 1), new Box(0, 3, 1, 1), 1, 5, 5)), r.regions());
    }

    @Test
    void antiDiagonalNeighboursAreOneRegion() {
        Regions r = find(draw(6,
                ".6.",
                "6..",
                "..."), 1, 32);
        assertEquals(1, r.regions().size());
        assertEquals(new Box(0, 0, 2, 2), r.regions().get(0).box());
    }

    @Test
    void aRingIsOneRegionAndItsHoleIsNotCounted() {
        Regions r = find(draw(7,
                "777",
                "7.7",
                "777"), 7, 32);
        assertEquals(1, r.regions().size());
        assertEquals(8, r.regions().get(0).area());
    }

    @Test
    void theStrongestAreKeptAndTheRestCounted() {
        Regions r = find(FOUR, 5, 2);
        assertEquals(2, r.regions().size());
        assertEquals(9, r.regions().get(0).maxScore());
        assertEquals(8, r.regions().get(1).maxScore());
        assertEquals(2, r.omitted());
        assertEquals(4, find(FOUR, 5, 0).omitted());
    }

    @Test
    void aMapBelowTheThresholdHasNoRegions() {
        Regions r = find(draw(4, "4444", "4..4"), 5, 32);
        assertTrue(r.regions().isEmpty());
        assertEquals(0, r.omitted());
    }

    @Test
    void equalMaximaKeepScanOrder() {
        Regions r = find(draw(3, "3.3", "...", "3.."), 3, 32);
        assertEquals(List.of(new Box(0, 0, 1, 1), new Box(2, 0, 1, 1), new Box(0, 2, 1, 1)),
                r.regions().stream().map(DefectRegion::box).toList());
    }

    @Test
    void notANumberNeverBelongsToARegion() {
        AnomalyMap map = new AnomalyMap(3, 1, new float[] {8, Float.NaN, 8}, 8);
        assertEquals(2, find(map, 5, 32).regions().size());
    }

    /**
     * ROI 8 x 4 at (10, 20) in a 40 x 40 frame, turned 90 degrees: the inspected image is 4 x 8 and the 4 x 4 map
     * stretches it 1 x 2, so a map pixel is 2 frame pixels. The map's top-right corner is the ROI's top-left (a
     * clockwise turn brings that corner there); the map's bottom row lies along the ROI's right-hand edge.
     */
    @Test
    void boxesAndAreasAreInTheOriginalFrame() {
        FrameGeometry g = FrameGeometry.of(camera("c", new Roi(10, 20, 8, 4), 90), 40, 40);
        Regions r = Regions.find(draw(9,
                "...9",
                "....",
                "....",
                "666."), 5, g, 32);
        assertEquals(List.of(
                new DefectRegion(new Box(10, 20, 2, 1), new Box(3, 0, 1, 1), 2, 9, 9),
                new DefectRegion(new Box(16, 21, 2, 3), new Box(0, 3, 3, 1), 6, 6, 6)), r.regions());
    }
}
