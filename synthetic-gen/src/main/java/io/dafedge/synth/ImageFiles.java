package io.dafedge.synth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Image decoding and encoding through OpenCV, with the checks every caller needs: a clear refusal for files
 * that are corrupt, not 8-bit, too small or too large, naming the file.
 */
public final class ImageFiles {
    /** Smallest side accepted: below this no defect can be drawn or detected. */
    public static final int MIN_SIDE = 16;
    /** Largest image accepted (pixels): 64 MP, far above any line camera frame, bounds memory per frame. */
    public static final long MAX_PIXELS = 64L * 1024 * 1024;
    /** Largest encoded file accepted. */
    public static final long MAX_FILE_BYTES = 256L * 1024 * 1024;

    private static volatile boolean loaded;

    private ImageFiles() {
    }

    /** Loads OpenCV's native library once per process. */
    public static void loadOpenCv() {
        if (!loaded) {
            synchronized (ImageFiles.class) {
                if (!loaded) {
                    nu.pattern.OpenCV.loadLocally();
                    loaded = true;
                }
            }
        }
    }

    public static Image read(Path file) throws ImageReadException {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new ImageReadException(file + ": cannot be read (" + e.getMessage() + ")");
        }
        if (size > MAX_FILE_BYTES) {
            throw new ImageReadException(file + ": file of " + size + " bytes is over the limit of " + MAX_FILE_BYTES);
        }
        try {
            return decode(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new ImageReadException(file + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    /** Decodes JPEG, PNG, BMP and the other formats OpenCV reads; {@code name} is used in error messages. */
    public static Image decode(byte[] encoded, String name) throws ImageReadException {
        loadOpenCv();
        Mat mat = Imgcodecs.imdecode(new MatOfByte(encoded), Imgcodecs.IMREAD_UNCHANGED);
        try {
            if (mat.empty()) {
                throw new ImageReadException(name + ": not a decodable image (corrupt or unsupported format)");
            }
            return fromMat(mat, name);
        } finally {
            mat.release();
        }
    }

    /**
     * An OpenCV image (BGR, BGRA or grey, as codecs and cameras deliver it) as an {@link Image}, with the same checks
     * as {@link #decode}. Converts {@code mat} in place and leaves releasing it to the caller.
     */
    public static Image fromMat(Mat mat, String name) throws ImageReadException {
        if (mat.empty()) {
            throw new ImageReadException(name + ": empty image");
        }
        int depth = CvType.depth(mat.type());
        if (depth != CvType.CV_8U) {
            throw new ImageReadException(name + ": " + depthName(depth)
                    + " images are not supported; convert to 8 bits per channel");
        }
        int w = mat.cols();
        int h = mat.rows();
        if (w < MIN_SIDE || h < MIN_SIDE) {
            throw new ImageReadException(name + ": " + w + "x" + h + " is too small (min " + MIN_SIDE + " px a side)");
        }
        if ((long) w * h > MAX_PIXELS) {
            throw new ImageReadException(name + ": " + w + "x" + h + " is too large (max " + MAX_PIXELS + " pixels)");
        }
        int channels = mat.channels();
        if (channels == 3) {
            Imgproc.cvtColor(mat, mat, Imgproc.COLOR_BGR2RGB);
        } else if (channels == 4) {
            Imgproc.cvtColor(mat, mat, Imgproc.COLOR_BGRA2RGBA);
        } else if (channels != 1) {
            throw new ImageReadException(name + ": " + channels + " channels are not supported (1, 3 or 4)");
        }
        Image image = new Image(w, h, channels);
        mat.get(0, 0, image.data);
        return image;
    }

    /** Encodes as PNG (lossless, so the bytes outside a defect stay the source's). */
    public static byte[] encodePng(Image image) {
        loadOpenCv();
        Mat mat = toMat(image);
        MatOfByte out = new MatOfByte();
        try {
            if (!Imgcodecs.imencode(".png", mat, out)) {
                throw new IllegalStateException("PNG encoding failed for a " + image + " image");
            }
            return out.toArray();
        } finally {
            mat.release();
            out.release();
        }
    }

    /** Writes a PNG atomically: a reader never sees a half-written file. */
    public static void writePng(Path file, Image image) throws IOException {
        byte[] png = encodePng(image);
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".tmp-", ".png");
        try {
            Files.write(tmp, png);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static Mat toMat(Image image) {
        int type = CvType.makeType(CvType.CV_8U, image.channels);
        Mat mat = new Mat(image.height, image.width, type);
        mat.put(0, 0, image.data);
        if (image.channels == 3) {
            Imgproc.cvtColor(mat, mat, Imgproc.COLOR_RGB2BGR);
        } else if (image.channels == 4) {
            Imgproc.cvtColor(mat, mat, Imgproc.COLOR_RGBA2BGRA);
        }
        return mat;
    }

    private static String depthName(int depth) {
        return switch (depth) {
            case CvType.CV_8S -> "signed 8-bit";
            case CvType.CV_16U, CvType.CV_16S -> "16-bit";
            case CvType.CV_32S -> "32-bit integer";
            case CvType.CV_32F, CvType.CV_64F -> "floating-point";
            default -> "depth-" + depth;
        };
    }
}
