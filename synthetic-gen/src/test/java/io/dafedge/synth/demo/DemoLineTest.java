package io.dafedge.synth.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.dafedge.synth.Image;
import io.dafedge.synth.Mask;

class DemoLineTest {
    /** Non-square on purpose: catches swapped width and height anywhere in the drawing. */
    private static final int W = 160;
    private static final int H = 128;
    private static final int SEEDS = 25;
    /** Mean absolute change (grey levels, over channels) a defect must make inside its mask to be visible. */
    private static final double MIN_MEAN_CHANGE = 8;
    private static final double MAX_MASK_FRACTION = 0.25;

    @ParameterizedTest
    @EnumSource(DemoProduct.class)
    void sameSeedGivesSameBytes(DemoProduct product) {
        DemoLine line = new DemoLine(product, W, H);
        DemoLine twin = new DemoLine(product, W, H);
        assertEquals(line.good(7), twin.good(7));
        for (DemoDefect defect : DemoDefect.values()) {
            DemoSample a = line.defective(7, defect);
            DemoSample b = twin.defective(7, defect);
            assertEquals(a.image(), b.image(), defect.cliName());
            assertArrayEquals(a.mask().data, b.mask().data, defect.cliName());
        }
        assertEquals(line.frame(11, 0.5).image(), twin.frame(11, 0.5).image());
    }

    @ParameterizedTest
    @EnumSource(DemoProduct.class)
    void differentSeedsGiveDifferentParts(DemoProduct product) {
        DemoLine line = new DemoLine(product, W, H);
        assertNotEquals(line.good(1), line.good(2));
        for (DemoDefect defect : DemoDefect.values()) {
            assertFalse(Arrays.equals(line.defective(1, defect).mask().data,
                    line.defective(2, defect).mask().data), defect.cliName());
        }
    }

    @Test
    void defectKindsAtOneSeedDifferInPlaceAndShape() {
        DemoLine line = new DemoLine(DemoProduct.BRUSHED_METAL, W, H);
        Mask dent = line.defective(3, DemoDefect.DENT).mask();
        Mask stain = line.defective(3, DemoDefect.STAIN).mask();
        assertFalse(Arrays.equals(dent.data, stain.data));
    }

    @ParameterizedTest
    @EnumSource(DemoProduct.class)
    void goodPartIsRgbOfTheLineSize(DemoProduct product) {
        Image good = new DemoLine(product, W, H).good(5);
        assertEquals(W, good.width);
        assertEquals(H, good.height);
        assertEquals(3, good.channels);
    }

    @ParameterizedTest
    @EnumSource(DemoProduct.class)
    void everyDefectChangesOnlyItsMaskVisiblyAndLocally(DemoProduct product) {
        DemoLine line = new DemoLine(product, W, H);
        for (long seed = 0; seed < SEEDS; seed++) {
            Image good = line.good(seed);
            for (DemoDefect defect : DemoDefect.values()) {
                checkDefect(good, line.defective(seed, defect), product + "/" + defect + "/seed " + seed);
            }
        }
    }

    @Test
    void invariantsHoldAtTheSmallestAndAReferenceSize() {
        for (int size : new int[] {DemoLine.MIN_SIDE, 256}) {
            for (DemoProduct product : DemoProduct.values()) {
                DemoLine line = new DemoLine(product, size, size);
                for (DemoDefect defect : DemoDefect.values()) {
                    for (long seed = 100; seed < 103; seed++) {
                        checkDefect(line.good(seed), line.defective(seed, defect),
                                size + "px " + product + "/" + defect + "/seed " + seed);
                    }
                }
            }
        }
    }

    private static void checkDefect(Image good, DemoSample sample, String what) {
        Image img = sample.image();
        Mask mask = sample.mask();
        assertEquals(good.width, img.width, what);
        assertEquals(good.height, img.height, what);
        assertEquals(3, img.channels, what);
        assertTrue(sample.isDefective(), what);
        long change = 0;
        int area = 0;
        for (int i = 0; i < good.pixels(); i++) {
            for (int c = 0; c < 3; c++) {
                int d = Math.abs((good.data[i * 3 + c] & 0xFF) - (img.data[i * 3 + c] & 0xFF));
                if (!mask.get(i) && d != 0) {
                    fail(what + ": pixel " + i + " changed outside the mask");
                }
                change += d;
            }
            if (mask.get(i)) {
                area++;
            }
        }
        assertTrue(area > 0, what + ": empty mask");
        assertTrue(area < MAX_MASK_FRACTION * good.pixels(), what + ": mask covers " + area + " pixels");
        double mean = change / (3.0 * area);
        assertTrue(mean >= MIN_MEAN_CHANGE, what + ": mean change inside the mask only " + mean);
    }

    @Test
    void flangeDefectsLieOnTheMachinedFaces() {
        DemoLine line = new DemoLine(DemoProduct.FLANGE, W, H);
        for (long seed = 0; seed < SEEDS; seed++) {
            Mask area = line.partArea(seed);
            assertFalse(area.get(0, 0), "corner is conveyor");
            assertFalse(area.get(W / 2, H / 2) && area.get(W / 2 + 1, H / 2 + 1), "centre is the bore");
            assertTrue(area.areaFraction() > 0.15 && area.areaFraction() < 0.6, "face area " + area.areaFraction());
            double[] disc = silhouette(line.good(seed));
            for (DemoDefect defect : DemoDefect.values()) {
                Mask mask = line.defective(seed, defect).mask();
                for (int i = 0; i < mask.data.length; i++) {
                    if (mask.get(i)) {
                        String where = defect + "/seed " + seed + ": mask pixel " + i;
                        assertTrue(area.get(i), where + " off the part area");
                        // independent of the renderer's support: inside the flange's disc as seen in the picture,
                        // outside its bore (13% of the side against 40% for the rim)
                        double r = Math.hypot(i % W - disc[0], i / W - disc[1]);
                        assertTrue(r <= disc[2] && r >= disc[2] * 0.13 / 0.40,
                                where + " at radius " + r + " of " + disc[2]);
                    }
                }
            }
        }
    }

    /** Centre x, y and radius of the flange, from the bounding box of its bright (machined) pixels. */
    private static double[] silhouette(Image good) {
        int minX = good.width;
        int maxX = -1;
        int minY = good.height;
        int maxY = -1;
        for (int y = 0; y < good.height; y++) {
            for (int x = 0; x < good.width; x++) {
                if (Image.luma(good.get(x, y, 0), good.get(x, y, 1), good.get(x, y, 2)) > 90) {
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        return new double[] {(minX + maxX) / 2.0, (minY + maxY) / 2.0, (maxX - minX + maxY - minY) / 4.0 + 1};
    }

    @ParameterizedTest
    @EnumSource(value = DemoProduct.class, names = {"BRUSHED_METAL", "WOOD"})
    void sheetGoodsCanBeDefectiveAnywhere(DemoProduct product) {
        assertEquals(1.0, new DemoLine(product, W, H).partArea(0).areaFraction());
    }

    @Test
    void frameDefectFrequencyFollowsTheRate() {
        DemoLine line = new DemoLine(DemoProduct.BRUSHED_METAL, DemoLine.MIN_SIDE, DemoLine.MIN_SIDE);
        int frames = 200;
        int defective = 0;
        int[] perKind = new int[DemoDefect.values().length];
        for (long seed = 0; seed < frames; seed++) {
            DemoSample frame = line.frame(seed, 0.3);
            if (frame.isDefective()) {
                defective++;
                perKind[frame.defect().ordinal()]++;
            } else {
                assertEquals(0, frame.mask().area());
            }
        }
        // binomial(200, 0.3): mean 60, sd 6.5
        assertTrue(defective >= 40 && defective <= 80, "defective frames " + defective);
        for (int n : perKind) {
            assertTrue(n > 0, "every kind appears");
        }
    }

    @Test
    void frameIsExactlyGoodOrDefectiveOfItsSeed() {
        DemoLine line = new DemoLine(DemoProduct.FLANGE, W, H);
        for (long seed = 0; seed < 12; seed++) {
            DemoSample frame = line.frame(seed, 0.5);
            if (frame.isDefective()) {
                DemoSample same = line.defective(seed, frame.defect());
                assertEquals(same.image(), frame.image());
                assertArrayEquals(same.mask().data, frame.mask().data);
            } else {
                assertNull(frame.defect());
                assertEquals(line.good(seed), frame.image());
            }
        }
        assertFalse(line.frame(3, 0).isDefective());
        assertTrue(line.frame(3, 1).isDefective());
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new DemoLine(DemoProduct.WOOD, DemoLine.MIN_SIDE - 1, 100));
        assertThrows(IllegalArgumentException.class, () -> new DemoLine(DemoProduct.WOOD, 100, DemoLine.MAX_SIDE + 1));
        assertThrows(NullPointerException.class, () -> new DemoLine(null, 100, 100));
        DemoLine line = new DemoLine(DemoProduct.WOOD, 100, 100);
        assertThrows(IllegalArgumentException.class, () -> line.frame(1, 1.5));
        assertThrows(IllegalArgumentException.class, () -> line.frame(1, Double.NaN));
        assertThrows(NullPointerException.class, () -> line.defective(1, null));
    }

    @Test
    void cliNamesRoundTrip() {
        for (DemoProduct p : DemoProduct.values()) {
            assertSame(p, DemoProduct.fromCliName(p.cliName()));
        }
        for (DemoDefect d : DemoDefect.values()) {
            assertSame(d, DemoDefect.fromCliName(d.cliName()));
        }
        assertEquals("brushed-metal", DemoProduct.BRUSHED_METAL.cliName());
        assertEquals("flange", DemoProduct.FLANGE.cliName());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DemoDefect.fromCliName("dust"));
        assertTrue(e.getMessage().contains("scratch, dent, stain, crack"), e.getMessage());
    }
}
