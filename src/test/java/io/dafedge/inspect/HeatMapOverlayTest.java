package io.dafedge.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;

import io.dafedge.synth.Image;
import io.dafedge.synth.ImageFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;

class HeatMapOverlayTest {
    /**
     * The reference: the map's grey levels coloured by OpenCV on the whole image, blended in double precision.
     * Alpha 0.5 (what the appliance and the contact sheets use) must match exactly, others within one level.
     */
    @ParameterizedTest
    @ValueSource(doubles = {0.5, 0.3, 1.0, 0.0})
    void equalsOpenCvsColourMapBlendedOverTheImage(double alpha) {
        SplittableRandom rnd = new SplittableRandom(5);
        int w = 37;
        int h = 21;
        Image rgb = new Image(w, h, 3);
        rnd.nextBytes(rgb.data);
        float[] map = new float[w * h];
        for (int i = 0; i < map.length; i++) {
            map[i] = (float) rnd.nextDouble(-0.5, 2.5); // beyond both ends of the scale too
        }
        float lo = 0;
        float hi = 2;
        byte[] grey = new byte[map.length];
        for (int i = 0; i < map.length; i++) {
            grey[i] = (byte) Image.clamp(Math.round((map[i] - lo) / (hi - lo) * 255));
        }
        ImageFiles.loadOpenCv();
        Mat g = new Mat(h, w, CvType.CV_8UC1);
        g.put(0, 0, grey);
        Mat colour = new Mat();
        Imgproc.applyColorMap(g, colour, Imgproc.COLORMAP_JET);
        byte[] bgr = new byte[map.length * 3];
        colour.get(0, 0, bgr);
        g.release();
        colour.release();

        Image ours = HeatMapOverlay.draw(rgb, map, lo, hi, alpha);
        int tolerance = alpha == 0.5 ? 0 : 1;
        for (int i = 0; i < map.length; i++) {
            for (int c = 0; c < 3; c++) {
                long expected = Math.round((1 - alpha) * (rgb.data[i * 3 + c] & 0xFF)
                        + alpha * (bgr[i * 3 + 2 - c] & 0xFF));
                assertEquals(expected, ours.data[i * 3 + c] & 0xFF, tolerance, "pixel " + i + " channel " + c);
            }
        }
    }

    @Test
    void refusesMismatchedSizesAndOpacitiesOutsideOne() {
        Image rgb = new Image(4, 4, 3);
        assertThrows(IllegalArgumentException.class, () -> HeatMapOverlay.draw(rgb, new float[15], 0, 1, 0.5));
        assertThrows(IllegalArgumentException.class, () -> HeatMapOverlay.draw(new Image(4, 4, 1), new float[16], 0,
                1, 0.5));
        assertThrows(IllegalArgumentException.class, () -> HeatMapOverlay.draw(rgb, new float[16], 0, 1, 1.5));
    }
}
