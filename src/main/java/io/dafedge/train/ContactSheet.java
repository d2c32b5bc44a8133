package io.dafedge.train;

import java.util.List;

import io.dafedge.inspect.HeatMapOverlay;
import io.dafedge.synth.Image;
import io.dafedge.synth.ImageFiles;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.imgproc.Imgproc;

/**
 * One PNG a person can read at a glance: rows of tiles, each the image, its heat map overlay and (for defects) the
 * ground-truth outline, captioned with name and score. All maps share one colour scale.
 */
public final class ContactSheet {
    /** One tile's content: the image at the map's size (RGB), its map, its mask (null for none) and a caption. */
    public record Tile(Image image, float[] map, boolean[] mask, String caption) {
    }

    private static final int CAPTION = 18;
    private static final int GAP = 4;

    private ContactSheet() {
    }

    /** Rows of tiles, each row with its own title; every tile has the same size. */
    public static Image render(List<String> titles, List<List<Tile>> rows, float lo, float hi) {
        ImageFiles.loadOpenCv();
        int side = rows.stream().flatMap(List::stream).findFirst().map(t -> t.image().width).orElse(64);
        int columns = Math.max(1, rows.stream().mapToInt(List::size).max().orElse(1));
        int tileW = 2 * side + GAP;
        int rowH = CAPTION + side + CAPTION;
        int width = GAP + columns * (tileW + 3 * GAP);
        int height = GAP + rows.size() * (rowH + 2 * GAP);
        Mat sheet = new Mat(height, width, CvType.CV_8UC3, new Scalar(250, 250, 250));
        try {
            for (int r = 0; r < rows.size(); r++) {
                int y = GAP + r * (rowH + 2 * GAP);
                text(sheet, titles.get(r), GAP, y + CAPTION - 5, 0.5, new Scalar(20, 20, 20));
                List<Tile> row = rows.get(r);
                for (int c = 0; c < row.size(); c++) {
                    Tile t = row.get(c);
                    int x = GAP + c * (tileW + 3 * GAP);
                    Image overlay = HeatMapOverlay.draw(t.image(), t.map(), lo, hi, 0.5);
                    if (t.mask() != null) {
                        outline(overlay, t.mask());
                    }
                    paste(sheet, t.image(), x, y + CAPTION);
                    paste(sheet, overlay, x + side + GAP, y + CAPTION);
                    text(sheet, t.caption(), x, y + CAPTION + side + CAPTION - 5, 0.4, new Scalar(60, 60, 60));
                }
            }
            Image out = new Image(width, height, 3);
            sheet.get(0, 0, out.data); // filled in RGB order throughout, so no channel swap
            return out;
        } finally {
            sheet.release();
        }
    }

    /** Ground-truth boundary in white: mask pixels with a neighbour outside the mask. */
    private static void outline(Image img, boolean[] mask) {
        int w = img.width;
        int h = img.height;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (mask[i] && (x == 0 || y == 0 || x == w - 1 || y == h - 1
                        || !mask[i - 1] || !mask[i + 1] || !mask[i - w] || !mask[i + w])) {
                    img.data[i * 3] = (byte) 255;
                    img.data[i * 3 + 1] = (byte) 255;
                    img.data[i * 3 + 2] = (byte) 255;
                }
            }
        }
    }

    private static void paste(Mat sheet, Image img, int x, int y) {
        Mat tile = new Mat(img.height, img.width, CvType.CV_8UC3);
        try {
            tile.put(0, 0, img.data);
            tile.copyTo(sheet.submat(new Rect(x, y, img.width, img.height)));
        } finally {
            tile.release();
        }
    }

    private static void text(Mat sheet, String s, int x, int y, double scale, Scalar colour) {
        Imgproc.putText(sheet, s, new Point(x, y), Imgproc.FONT_HERSHEY_SIMPLEX, scale, colour, 1, Imgproc.LINE_AA);
    }
}
