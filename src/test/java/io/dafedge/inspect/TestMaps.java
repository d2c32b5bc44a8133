package io.dafedge.inspect;

import java.util.Optional;

import io.dafedge.ingest.CameraSettings;
import io.dafedge.model.AnomalyMap;
import io.dafedge.synth.Image;
import io.dafedge.synth.ImageFiles;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/** Maps drawn by hand for the inspection tests, camera settings in one line, and a PNG reader for tiny images. */
final class TestMaps {
    private TestMaps() {
    }

    /** One string per row, one character per pixel: '.' scores 0, a digit d scores d. */
    static AnomalyMap draw(float score, String... rows) {
        int w = rows[0].length();
        float[] v = new float[w * rows.length];
        for (int y = 0; y < rows.length; y++) {
            for (int x = 0; x < w; x++) {
                char c = rows[y].charAt(x);
                v[y * w + x] = c == '.' ? 0 : c - '0';
            }
        }
        return new AnomalyMap(w, rows.length, v, score);
    }

    static CameraSettings camera(String id, CameraSettings.Roi roi, int rotation) {
        return new CameraSettings(id, "line-1", "http", Optional.ofNullable(roi), rotation, 0, 4);
    }

    /** A colour PNG as RGB; unlike ImageFiles.decode it takes the few-pixel overlays of hand-drawn maps. */
    static Image png(byte[] png) {
        ImageFiles.loadOpenCv();
        Mat mat = Imgcodecs.imdecode(new MatOfByte(png), Imgcodecs.IMREAD_COLOR);
        try {
            Imgproc.cvtColor(mat, mat, Imgproc.COLOR_BGR2RGB);
            Image out = new Image(mat.cols(), mat.rows(), 3);
            mat.get(0, 0, out.data);
            return out;
        } finally {
            mat.release();
        }
    }
}
