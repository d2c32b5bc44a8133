package io.dafedge.inspect;

import io.dafedge.synth.Image;
import io.dafedge.synth.ImageFiles;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;

/**
 * An anomaly map drawn over its image for people: scores mapped linearly from [lo, hi] to the JET colour scale
 * (blue = normal, red = anomalous) and blended over the picture, so the same scale can be used for every image
 * of a report or a line.
 */
public final class HeatMapOverlay {
    private HeatMapOverlay() {
    }

    /** {@code rgb} and {@code map} must have the same size; {@code alpha} is the heat map's opacity. */
    public static Image draw(Image rgb, float[] map, float lo, float hi, double alpha) {
        if (rgb.channels != 3 || map.length != rgb.pixels()) {
            throw new IllegalArgumentException("overlay needs an RGB image and a map of the same size");
        }
        ImageFiles.loadOpenCv();
        float range = hi > lo ? hi - lo : 1;
        byte[] grey = new byte[map.length];
        for (int i = 0; i < map.length; i++) {
            grey[i] = (byte) Image.clamp(Math.round((map[i] - lo) / range * 255));
        }
        Mat g = new Mat(rgb.height, rgb.width, CvType.CV_8UC1);
        Mat colour = new Mat();
        try {
            g.put(0, 0, grey);
            Imgproc.applyColorMap(g, colour, Imgproc.COLORMAP_JET);
            byte[] bgr = new byte[map.length * 3];
            colour.get(0, 0, bgr);
            Image out = new Image(rgb.width, rgb.height, 3);
            for (int i = 0; i < map.length; i++) {
                for (int c = 0; c < 3; c++) {
                    int heat = bgr[i * 3 + 2 - c] & 0xFF; // OpenCV's colour maps are BGR
                    int base = rgb.data[i * 3 + c] & 0xFF;
                    out.data[i * 3 + c] = (byte) Math.round((1 - alpha) * base + alpha * heat);
                }
            }
            return out;
        } finally {
            g.release();
            colour.release();
        }
    }
}
