package io.dafedge.inspect;

import static io.dafedge.inspect.TestMaps.camera;
import static io.dafedge.inspect.TestMaps.draw;
import static io.dafedge.inspect.TestMaps.png;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import io.dafedge.model.AnomalyMap;
import io.dafedge.synth.Image;
import io.dafedge.synth.ImageFiles;
import io.dafedge.synth.ImageReadException;
import org.junit.jupiter.api.Test;

class PostprocessTest {
    private final Postprocess post = new Postprocess();

    private static Image grey(int w, int h, int value) {
        Image img = new Image(w, h, 1);
        Arrays.fill(img.data, (byte) value);
        return img;
    }

    private InspectionOutcome run(AnomalyMap map, float threshold, Image inspected) {
        FrameGeometry g = FrameGeometry.of(camera("c", null, 0), inspected.width, inspected.height);
        return post.run(map, threshold, g, inspected);
    }

    private static int[] rgb(Image img, int x, int y) {
        return new int[] {img.get(x, y, 0), img.get(x, y, 1), img.get(x, y, 2)};
    }

    @Test
    void nokExactlyFromTheThresholdOn() {
        Image img = grey(4, 4, 128);
        assertEquals(Verdict.NOK, run(draw(5, "....", "....", "....", "...."), 5, img).verdict());
        assertEquals(Verdict.OK, run(draw(Math.nextDown(5f), "....", "....", "....", "...."), 5, img).verdict());
        InspectionOutcome o = run(draw(7, "....", ".7..", "....", "...."), 5, img);
        assertEquals(7, o.score());
        assertEquals(5, o.threshold());
        assertEquals(1, o.regions().regions().size());
    }

    @Test
    void aScoreThatIsNotANumberFailsInsteadOfPassing() {
        AnomalyMap nan = new AnomalyMap(2, 2, new float[4], Float.NaN);
        assertThrows(IllegalArgumentException.class, () -> run(nan, 5, grey(2, 2, 0)));
    }

    @Test
    void theOverlayHasTheMapsSizeAndBoxesTheRegions() {
        AnomalyMap map = draw(9,
                "........",
                ".9999...",
                ".9999...",
                ".9999...",
                ".9999...",
                "........",
                "........",
                "........");
        Image overlay = png(run(map, 5, grey(32, 16, 100)).overlayPng());
        assertEquals("8x8x3", overlay.toString());
        for (int i = 1; i <= 4; i++) { // the box's outline, all four sides
            assertArrayEquals(Postprocess.BOX_RGB, rgb(overlay, i, 1));
            assertArrayEquals(Postprocess.BOX_RGB, rgb(overlay, i, 4));
            assertArrayEquals(Postprocess.BOX_RGB, rgb(overlay, 1, i));
            assertArrayEquals(Postprocess.BOX_RGB, rgb(overlay, 4, i));
        }
        assertFalse(Arrays.equals(Postprocess.BOX_RGB, rgb(overlay, 2, 2)), "inside is heat, not box");
        assertFalse(Arrays.equals(Postprocess.BOX_RGB, rgb(overlay, 6, 6)));
    }

    /** A per-frame scale would paint the same score differently beside a stronger defect. */
    @Test
    void aScoreHasOneColourOnEveryFrameOfALine() {
        Image img = grey(4, 4, 80);
        Image calm = png(run(draw(3, "3...", "....", "....", "...."), 5, img).overlayPng());
        Image hot = png(run(draw(9, "3...", "....", "....", "...9"), 5, img).overlayPng());
        assertArrayEquals(rgb(calm, 0, 0), rgb(hot, 0, 0));
        assertArrayEquals(rgb(calm, 1, 0), rgb(hot, 1, 0));
        // twice the threshold is the top of the scale (red): scores above it look the same, a lower one does not;
        // read inside the region, whose box outline covers the map's border
        Image top = png(run(draw(9, "666666", "656896", "666666"), 3, grey(6, 3, 80)).overlayPng());
        assertArrayEquals(rgb(top, 2, 1), rgb(top, 3, 1));
        assertArrayEquals(rgb(top, 2, 1), rgb(top, 4, 1));
        assertFalse(Arrays.equals(rgb(top, 1, 1), rgb(top, 2, 1)));
        assertTrue(rgb(top, 2, 1)[0] > rgb(top, 2, 1)[2], "top of the scale is red");
    }

    @Test
    void thumbnailsFitTheLongestSideAndAreNeverEnlarged() throws ImageReadException {
        Image big = ImageFiles.decode(post.thumbnailPng(grey(600, 300, 50)), "big");
        assertEquals("256x128x1", big.toString());
        assertEquals(50, big.get(100, 100, 0));
        assertEquals("100x50x1", ImageFiles.decode(post.thumbnailPng(grey(100, 50, 50)), "small").toString());
        assertEquals("30x256x3", new Postprocess(32, 256).thumbnail(new Image(60, 512, 4)).toString());
    }
}
