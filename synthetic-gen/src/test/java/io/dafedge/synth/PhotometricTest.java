package io.dafedge.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class PhotometricTest {
    @Test
    void hsvRoundTripIsWithinOneGreyLevel() {
        float[] hsv = new float[3];
        byte[] out = new byte[3];
        SplittableRandom rnd = new SplittableRandom(2);
        for (int i = 0; i < 20_000; i++) {
            int r = rnd.nextInt(256);
            int g = rnd.nextInt(256);
            int b = rnd.nextInt(256);
            Photometric.toHsv(r, g, b, hsv);
            Photometric.fromHsv(hsv[0], hsv[1], hsv[2], out, 0);
            assertEquals(r, out[0] & 0xFF, 1);
            assertEquals(g, out[1] & 0xFF, 1);
            assertEquals(b, out[2] & 0xFF, 1);
        }
    }

    @Test
    void hueShiftOf120DegreesRotatesPrimaries() {
        Image red = new Image(1, 1, 3, new byte[] {(byte) 255, 0, 0});
        Photometric.hueSaturation(red, 120, 0, 1);
        assertEquals(0, red.get(0, 0, 0));
        assertEquals(255, red.get(0, 0, 1));
        assertEquals(0, red.get(0, 0, 2));
    }

    @Test
    void equalisationSpreadsANarrowHistogram() {
        Image img = new Image(64, 64, 1);
        for (int i = 0; i < img.data.length; i++) {
            img.data[i] = (byte) (100 + i % 20);
        }
        Image eq = Photometric.apply(8, img.copy(), new SplittableRandom(0));
        int min = 255;
        int max = 0;
        for (byte b : eq.data) {
            min = Math.min(min, b & 0xFF);
            max = Math.max(max, b & 0xFF);
        }
        assertTrue(max - min > 200, "range after equalisation " + min + ".." + max);
    }

    @Test
    void sharpnessBlendsWithPilsSmoothingKernel() {
        Image img = TestImages.surface(9, 7, 3, 8);
        int[][] kernel = {{1, 1, 1}, {1, 5, 1}, {1, 1, 1}};
        for (double factor : new double[] {0, 0.5, 1, 2}) {
            Image out = Photometric.sharpen(img, factor);
            for (int y = 0; y < img.height; y++) {
                for (int x = 0; x < img.width; x++) {
                    for (int c = 0; c < 3; c++) {
                        boolean border = x == 0 || y == 0 || x == img.width - 1 || y == img.height - 1;
                        double expected = img.get(x, y, c);
                        if (!border) {
                            double smooth = 0;
                            for (int dy = -1; dy <= 1; dy++) {
                                for (int dx = -1; dx <= 1; dx++) {
                                    smooth += kernel[dy + 1][dx + 1] * img.get(x + dx, y + dy, c);
                                }
                            }
                            smooth /= 13;
                            expected = Math.max(0, Math.min(255, Math.round(smooth + factor * (expected - smooth))));
                        }
                        assertEquals(expected, out.get(x, y, c), 0.0, "factor " + factor + " at " + x + "," + y);
                    }
                }
            }
        }
    }

    @Test
    void mirroredIndexStaysInRange() {
        for (int n : new int[] {1, 2, 5}) {
            for (int i = -20; i < 20; i++) {
                int m = Photometric.mirror(i, n);
                assertTrue(m >= 0 && m < n);
            }
        }
        assertEquals(1, Photometric.mirror(-1, 5));
        assertEquals(3, Photometric.mirror(5, 5));
    }

    @Test
    void everyOperationKeepsSizeAndChangesSomething() {
        Image src = TestImages.surface(40, 30, 3, 4);
        for (int op = 0; op < Photometric.OPERATIONS; op++) {
            boolean changed = false;
            for (int s = 0; s < 5 && !changed; s++) {
                Image out = Photometric.apply(op, src.copy(), new SplittableRandom(s));
                assertEquals(src.width, out.width);
                assertEquals(src.height, out.height);
                changed = !out.equals(src);
            }
            assertTrue(changed, "operation " + op + " never changed the image");
        }
    }
}
