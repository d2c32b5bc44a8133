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
    /** OpenCV's JET colours for grey levels 0..255, as RGB triples; taken once, so a frame costs no native call. */
    private static volatile byte[] jet;

    private HeatMapOverlay() {
    }

    /** {@code rgb} and {@code map} must have the same size; {@code alpha} (0..1) is the heat map's opacity. */
    public static Image draw(Image rgb, float[] map, float lo, float hi, double alpha) {
        if (rgb.channels != 3 || map.length != rgb.pixels()) {
            throw new IllegalArgumentException("overlay needs an RGB image and a map of the same size");
        }
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be within [0, 1], got " + alpha);
        }
        byte[] colours = jet();
        float range = hi > lo ? hi - lo : 1;
        // 16-bit fixed point: rounds half up like Math.round of the exact blend, without floating point per channel
        int heatWeight = (int) Math.round(alpha * 65536);
        int baseWeight = 65536 - heatWeight;
        Image out = new Image(rgb.width, rgb.height, 3);
        for (int i = 0; i < map.length; i++) {
            int level = Image.clamp(Math.round((map[i] - lo) / range * 255));
            for (int c = 0; c < 3; c++) {
                int heat = colours[level * 3 + c] & 0xFF;
                int base = rgb.data[i * 3 + c] & 0xFF;
                out.data[i * 3 + c] = (byte) ((baseWeight * base + heatWeight * heat + 32768) >>> 16);
            }
        }
        return out;
    }

    private static byte[] jet() {
        byte[] table = jet;
        if (table == null) {
            ImageFiles.loadOpenCv();
            byte[] ramp = new byte[256];
            for (int i = 0; i < 256; i++) {
                ramp[i] = (byte) i;
            }
            Mat grey = new Mat(1, 256, CvType.CV_8UC1);
            Mat colour = new Mat();
            try {
                grey.put(0, 0, ramp);
                Imgproc.applyColorMap(grey, colour, Imgproc.COLORMAP_JET);
                Imgproc.cvtColor(colour, colour, Imgproc.COLOR_BGR2RGB); // OpenCV's colour maps are BGR
                table = new byte[256 * 3];
                colour.get(0, 0, table);
            } finally {
                grey.release();
                colour.release();
            }
            jet = table;
        }
        return table;
    }
}
