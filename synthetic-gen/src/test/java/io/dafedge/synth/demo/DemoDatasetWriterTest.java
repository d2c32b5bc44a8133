package io.dafedge.synth.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.dafedge.synth.Image;
import io.dafedge.synth.ImageFiles;

class DemoDatasetWriterTest {
    private static final int SIZE = 64;

    @TempDir
    Path tmp;

    @Test
    void writesAnMvtecCategoryThatReadsBack() throws Exception {
        Path root = tmp.resolve("flange");
        DemoDatasetWriter.Summary summary = DemoDatasetWriter.write(root, DemoProduct.FLANGE, 8, 42, SIZE);

        assertEquals(root, summary.root());
        assertEquals(8, summary.filesPerFolder().get("train/good"));
        assertEquals(2, summary.filesPerFolder().get("test/good"));
        for (DemoDefect d : DemoDefect.values()) {
            assertEquals(1, summary.filesPerFolder().get("test/" + d.cliName()));
            assertEquals(1, summary.filesPerFolder().get("ground_truth/" + d.cliName()));
        }
        assertEquals(8 + 2 + 2 * DemoDefect.values().length, summary.totalFiles());

        for (Map.Entry<String, Integer> folder : summary.filesPerFolder().entrySet()) {
            assertEquals(folder.getValue(), list(root.resolve(folder.getKey())).size(), folder.getKey());
        }
        assertEquals(List.of("000.png", "001.png", "002.png", "003.png", "004.png", "005.png", "006.png", "007.png"),
                list(root.resolve("train/good")));

        List<Image> all = new ArrayList<>();
        for (String name : list(root.resolve("train/good"))) {
            all.add(readRgb(root.resolve("train/good").resolve(name)));
        }
        for (String name : list(root.resolve("test/good"))) {
            all.add(readRgb(root.resolve("test/good").resolve(name)));
        }
        for (DemoDefect d : DemoDefect.values()) {
            Image test = readRgb(root.resolve("test").resolve(d.cliName()).resolve("000.png"));
            all.add(test);
            Image mask = ImageFiles.read(root.resolve("ground_truth").resolve(d.cliName()).resolve("000_mask.png"));
            assertEquals(1, mask.channels);
            assertEquals(test.width, mask.width);
            assertEquals(test.height, mask.height);
            int set = 0;
            for (byte b : mask.data) {
                int v = b & 0xFF;
                assertTrue(v == 0 || v == 255, "mask value " + v);
                set += v == 255 ? 1 : 0;
            }
            assertTrue(set > 0, d + " mask is empty");
        }
        // every image has its own seed: no two are the same picture
        assertEquals(all.size(), new HashSet<>(all).size());
    }

    @Test
    void sameArgumentsWriteTheSameBytes() throws Exception {
        DemoDatasetWriter.write(tmp.resolve("a"), DemoProduct.WOOD, 2, 5, SIZE);
        DemoDatasetWriter.write(tmp.resolve("b"), DemoProduct.WOOD, 2, 5, SIZE);
        DemoDatasetWriter.write(tmp.resolve("c"), DemoProduct.WOOD, 2, 6, SIZE);
        Path image = Path.of("test", "crack", "000.png");
        Image a = ImageFiles.read(tmp.resolve("a").resolve(image));
        assertEquals(a, ImageFiles.read(tmp.resolve("b").resolve(image)));
        assertNotEquals(a, ImageFiles.read(tmp.resolve("c").resolve(image)));
    }

    @Test
    void acceptsAnExistingEmptyDirectory() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("empty"));
        assertEquals(1, DemoDatasetWriter.write(root, DemoProduct.BRUSHED_METAL, 1, 1, SIZE)
                .filesPerFolder().get("train/good"));
    }

    @Test
    void refusesANonEmptyDirectoryAndTouchesNothing() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("used"));
        Files.writeString(root.resolve("notes.txt"), "keep");
        IOException e = assertThrows(IOException.class,
                () -> DemoDatasetWriter.write(root, DemoProduct.FLANGE, 4, 1, SIZE));
        assertTrue(e.getMessage().contains("not empty"), e.getMessage());
        assertEquals(List.of("notes.txt"), list(root));
    }

    @Test
    void refusesBadCountAndSize() {
        Path root = tmp.resolve("x");
        assertThrows(IllegalArgumentException.class, () -> DemoDatasetWriter.write(root, DemoProduct.WOOD, 0, 1, SIZE));
        assertThrows(IllegalArgumentException.class, () -> DemoDatasetWriter.write(root, DemoProduct.WOOD, 1, 1, 63));
        assertThrows(IllegalArgumentException.class, () -> DemoDatasetWriter.write(root, DemoProduct.WOOD, 1, 1, 2049));
        assertTrue(Files.notExists(root));
    }

    @Test
    void seedSequenceNeverRepeatsWithinADataset() {
        DemoDatasetWriter.SeedSequence seeds = new DemoDatasetWriter.SeedSequence(0);
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            assertTrue(seen.add(seeds.next()));
        }
    }

    private static Image readRgb(Path file) throws Exception {
        Image image = ImageFiles.read(file);
        assertEquals(3, image.channels, file.toString());
        assertEquals(SIZE, image.width);
        assertEquals(SIZE, image.height);
        return image;
    }

    private static List<String> list(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }
}
