package io.dafedge.inspect;

import static io.dafedge.inspect.TestMaps.camera;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dafedge.ingest.CameraSettings.Roi;
import io.dafedge.synth.Image;
import io.dafedge.synth.ImageFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

class FrameGeometryTest {
    /** 5 x 4 grey frame whose pixel (x, y) holds 10 y + x. */
    private static Image numbered() {
        Image frame = new Image(5, 4, 1);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 5; x++) {
                frame.set(x, y, 0, 10 * y + x);
            }
        }
        return frame;
    }

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    private static Image inspect(Roi roi, int rotation, Image frame) {
        return FrameGeometry.of(camera("cam", roi, rotation), frame.width, frame.height).inspected(frame);
    }

    @Test
    void cropsTheRoiAndTurnsItClockwise() {
        Roi roi = new Roi(1, 1, 3, 2); // rows 11 12 13 / 21 22 23
        Image r0 = inspect(roi, 0, numbered());
        Image r90 = inspect(roi, 90, numbered());
        Image r180 = inspect(roi, 180, numbered());
        Image r270 = inspect(roi, 270, numbered());
        assertEquals("3x2x1", r0.toString());
        assertArrayEquals(bytes(11, 12, 13, 21, 22, 23), r0.data);
        assertEquals("2x3x1", r90.toString());
        assertArrayEquals(bytes(21, 11, 22, 12, 23, 13), r90.data);
        assertEquals("3x2x1", r180.toString());
        assertArrayEquals(bytes(23, 22, 21, 13, 12, 11), r180.data);
        assertEquals("2x3x1", r270.toString());
        assertArrayEquals(bytes(13, 23, 12, 22, 11, 21), r270.data);
    }

    @Test
    void withoutRoiAndRotationTheFrameIsUsedAsItIs() {
        Image frame = numbered();
        assertSame(frame, inspect(null, 0, frame));
    }

    @ParameterizedTest
    @ValueSource(ints = {90, 180, 270})
    void colourRotationEqualsOpenCv(int rotation) {
        Image frame = new Image(17, 12, 3);
        for (int i = 0; i < frame.data.length; i++) {
            frame.data[i] = (byte) (i * 37 + i / 7);
        }
        Image ours = inspect(new Roi(3, 2, 9, 7), rotation, frame);

        ImageFiles.loadOpenCv();
        Image crop = frame.crop(3, 2, 9, 7);
        Mat src = new Mat(crop.height, crop.width, CvType.CV_8UC3);
        src.put(0, 0, crop.data);
        Mat dst = new Mat();
        Core.rotate(src, dst, switch (rotation) {
            case 90 -> Core.ROTATE_90_CLOCKWISE;
            case 180 -> Core.ROTATE_180;
            default -> Core.ROTATE_90_COUNTERCLOCKWISE;
        });
        Image expected = new Image(dst.cols(), dst.rows(), 3);
        dst.get(0, 0, expected.data);
        src.release();
        dst.release();
        assertEquals(expected, ours);
    }

    @Test
    void aRoiOutsideTheFrameIsRefusedNamingTheCamera() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> FrameGeometry.of(camera("cam-7", new Roi(60, 10, 50, 10), 0), 100, 80));
        assertTrue(e.getMessage().contains("camera cam-7"), e.getMessage());
        assertTrue(e.getMessage().contains("100x80"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> FrameGeometry.of(camera("cam-7", new Roi(0, 1, 100, 80), 0), 100, 80));
        assertThrows(IllegalArgumentException.class,
                () -> FrameGeometry.of(camera("cam-7", new Roi(Integer.MAX_VALUE, 0, 2, 1), 0), 100, 80));
    }

    @Test
    void aFrameOfAnotherSizeIsRefusedNamingTheCamera() {
        FrameGeometry g = FrameGeometry.of(camera("cam-3", null, 90), 5, 4);
        var e = assertThrows(IllegalArgumentException.class, () -> g.inspected(new Image(4, 5, 1)));
        assertTrue(e.getMessage().contains("camera cam-3"), e.getMessage());
    }

    /** Frame 100 x 80, ROI 40 x 30 at (10, 20), map 10 x 10; map box (2, 5, 1, 2) worked out by hand per rotation. */
    @Test
    void mapBoxesGoBackToTheFrame() {
        Roi roi = new Roi(10, 20, 40, 30);
        Box mapBox = new Box(2, 5, 1, 2);
        // no turn: 4 x 3 frame pixels per map pixel
        assertEquals(new Box(18, 35, 4, 6), FrameGeometry.of(camera("c", roi, 0), 100, 80).toFrame(mapBox, 10, 10));
        // inspected 30 x 40: columns 6..8 from the ROI's bottom, rows 20..27 from its left
        assertEquals(new Box(30, 41, 8, 3), FrameGeometry.of(camera("c", roi, 90), 100, 80).toFrame(mapBox, 10, 10));
        assertEquals(new Box(38, 29, 4, 6), FrameGeometry.of(camera("c", roi, 180), 100, 80).toFrame(mapBox, 10, 10));
        assertEquals(new Box(22, 26, 8, 3), FrameGeometry.of(camera("c", roi, 270), 100, 80).toFrame(mapBox, 10, 10));
    }

    @Test
    void mapPointsGoBackToTheFrame() {
        FrameGeometry g = FrameGeometry.of(camera("c", new Roi(10, 20, 40, 30), 90), 100, 80);
        assertEquals(new FrameGeometry.Point(32, 42.5), g.toFrame(2.5, 5.5, 10, 10));
        assertEquals(new FrameGeometry.Point(10, 50), g.toFrame(0, 0, 10, 10)); // the map's corner is the ROI's
        assertEquals(12.0, g.frameAreaPerMapPixel(10, 10));
    }

    @Test
    void boxesAreRoundedOutward() {
        FrameGeometry g = FrameGeometry.of(camera("c", null, 0), 10, 10);
        // map pixel 1 of 3 spans frame [3.33, 6.67): pixels 3 to 6
        assertEquals(new Box(3, 3, 4, 4), g.toFrame(new Box(1, 1, 1, 1), 3, 3));
        // enlarged: 4 map pixels per frame pixel, map pixels 5..6 both lie in frame pixel 1
        assertEquals(new Box(1, 1, 1, 1), g.toFrame(new Box(5, 5, 2, 2), 40, 40));
        assertThrows(IllegalArgumentException.class, () -> g.toFrame(new Box(2, 0, 2, 1), 3, 3));
    }

    /** Independent of the formulas: every inspected pixel must map back to the frame pixel it was copied from. */
    @ParameterizedTest
    @ValueSource(ints = {0, 90, 180, 270})
    void everyInspectedPixelMapsBackToItsSource(int rotation) {
        Image frame = new Image(13, 11, 1);
        Roi roi = new Roi(2, 3, 7, 5);
        for (int y = 0; y < roi.height(); y++) {
            for (int x = 0; x < roi.width(); x++) {
                frame.set(roi.x() + x, roi.y() + y, 0, 1 + y * roi.width() + x); // unique inside the ROI
            }
        }
        FrameGeometry g = FrameGeometry.of(camera("c", roi, rotation), 13, 11);
        Image in = g.inspected(frame);
        for (int b = 0; b < in.height; b++) {
            for (int a = 0; a < in.width; a++) {
                Box back = g.toFrame(new Box(a, b, 1, 1), in.width, in.height);
                assertEquals(1, back.width() * back.height());
                assertEquals(in.get(a, b, 0), frame.get(back.x(), back.y(), 0), "rotation " + rotation);
                FrameGeometry.Point centre = g.toFrame(a + 0.5, b + 0.5, in.width, in.height);
                assertEquals(back.x() + 0.5, centre.x(), 1e-9);
                assertEquals(back.y() + 0.5, centre.y(), 1e-9);
            }
        }
    }
}
