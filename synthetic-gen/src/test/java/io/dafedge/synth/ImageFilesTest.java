package io.dafedge.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

class ImageFilesTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void openCv() {
        ImageFiles.loadOpenCv();
    }

    @Test
    void pngRoundTripKeepsEveryByteForGreyRgbAndRgba() throws Exception {
        for (int channels : new int[] {1, 3, 4}) {
            Image img = TestImages.surface(37, 23, channels, channels);
            Path f = dir.resolve("img" + channels + ".png");
            ImageFiles.writePng(f, img);
            assertEquals(img, ImageFiles.read(f), channels + " channels");
        }
    }

    @Test
    void encodedPngsReadBackInAnIndependentDecoderToo() throws Exception {
        java.util.Random random = new java.util.Random(5);
        // noise does not compress: the deflate buffer has to grow
        Image noise = new Image(61, 47, 3);
        random.nextBytes(noise.data);
        for (Image img : new Image[] {noise, TestImages.surface(1, 1, 3, 2), TestImages.surface(256, 256, 3, 3)}) {
            java.awt.image.BufferedImage decoded = javax.imageio.ImageIO.read(
                    new java.io.ByteArrayInputStream(ImageFiles.encodePng(img)));
            assertEquals(img.width, decoded.getWidth());
            assertEquals(img.height, decoded.getHeight());
            for (int y = 0; y < img.height; y++) {
                for (int x = 0; x < img.width; x++) {
                    int rgb = decoded.getRGB(x, y);
                    assertEquals(img.get(x, y, 0), (rgb >> 16) & 0xFF);
                    assertEquals(img.get(x, y, 1), (rgb >> 8) & 0xFF);
                    assertEquals(img.get(x, y, 2), rgb & 0xFF);
                }
            }
        }
    }

    @Test
    void readsColourAsRgbNotOpenCvsBgr() throws Exception {
        Mat bgr = new Mat(20, 20, CvType.CV_8UC3, new Scalar(10, 20, 200)); // B=10 G=20 R=200
        Path f = dir.resolve("red.bmp");
        assertTrue(Imgcodecs.imwrite(f.toString(), bgr));
        Image img = ImageFiles.read(f);
        assertEquals(200, img.get(5, 5, 0));
        assertEquals(20, img.get(5, 5, 1));
        assertEquals(10, img.get(5, 5, 2));
    }

    @Test
    void refusesSixteenBitNamingTheFile() throws Exception {
        Path f = dir.resolve("deep.png");
        assertTrue(Imgcodecs.imwrite(f.toString(), new Mat(32, 32, CvType.CV_16UC1, new Scalar(4000))));
        ImageReadException e = assertThrows(ImageReadException.class, () -> ImageFiles.read(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("16-bit"), e.getMessage());
    }

    @Test
    void refusesCorruptAndTruncatedFiles() throws Exception {
        Path garbage = dir.resolve("garbage.jpg");
        Files.write(garbage, "this is not an image".getBytes());
        ImageReadException e = assertThrows(ImageReadException.class, () -> ImageFiles.read(garbage));
        assertTrue(e.getMessage().startsWith(garbage.toString()) && e.getMessage().contains("not a decodable image"));

        byte[] png = ImageFiles.encodePng(TestImages.surface(64, 64, 3, 1));
        Path truncated = dir.resolve("truncated.png");
        Files.write(truncated, Arrays.copyOf(png, png.length / 3));
        assertThrows(ImageReadException.class, () -> ImageFiles.read(truncated));

        Path missing = dir.resolve("missing.png");
        e = assertThrows(ImageReadException.class, () -> ImageFiles.read(missing));
        assertTrue(e.getMessage().contains("missing.png"));
    }

    @Test
    void refusesTinyAndHugeImages() throws Exception {
        Path tiny = dir.resolve("tiny.png");
        ImageFiles.writePng(tiny, TestImages.surface(15, 40, 3, 1));
        ImageReadException e = assertThrows(ImageReadException.class, () -> ImageFiles.read(tiny));
        assertTrue(e.getMessage().contains("too small"), e.getMessage());

        // a flat 8200 x 8200 grey PNG compresses to a small file but decodes to more than the 64 MP limit
        MatOfByte encoded = new MatOfByte();
        Mat huge = new Mat(8200, 8200, CvType.CV_8UC1, new Scalar(128));
        assertTrue(Imgcodecs.imencode(".png", huge, encoded));
        huge.release();
        e = assertThrows(ImageReadException.class, () -> ImageFiles.decode(encoded.toArray(), "huge.png"));
        assertTrue(e.getMessage().startsWith("huge.png") && e.getMessage().contains("too large"), e.getMessage());
    }

    @Test
    void masksAreWrittenAsOneChannelZeroOr255() throws Exception {
        Mask m = new Mask(20, 20);
        m.set(3, 4);
        Path f = dir.resolve("m_mask.png");
        ImageFiles.writePng(f, m.toImage());
        Image back = ImageFiles.read(f);
        assertEquals(1, back.channels);
        assertArrayEquals(m.data, back.data);
    }
}
