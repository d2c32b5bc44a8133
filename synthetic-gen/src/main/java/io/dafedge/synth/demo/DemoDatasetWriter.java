package io.dafedge.synth.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.dafedge.synth.ImageFiles;
import io.dafedge.synth.OutputFolders;

/**
 * Writes a demo product as one MVTec AD category: {@code train/good}, {@code test/good},
 * {@code test/<defect>} and {@code ground_truth/<defect>/<stem>_mask.png}, square images of one size.
 */
public final class DemoDatasetWriter {
    public static final int MIN_SIZE = DemoLine.MIN_SIDE;
    public static final int MAX_SIZE = 2048;

    /** Files written per folder (relative to the category root, '/'-separated), in writing order. */
    public record Summary(Path root, Map<String, Integer> filesPerFolder) {
        public Summary {
            filesPerFolder = Collections.unmodifiableMap(new LinkedHashMap<>(filesPerFolder));
        }

        public int totalFiles() {
            return filesPerFolder.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private DemoDatasetWriter() {
    }

    /**
     * Writes {@code count} training images, {@code max(1, count/4)} good and {@code max(1, count/8)} per defect kind
     * test images, every one from its own seed derived from {@code seed}.
     *
     * @throws IllegalArgumentException for count < 1 or a size outside 64..2048
     * @throws IOException for an {@code outDir} that is not empty, or when writing fails
     */
    public static Summary write(Path outDir, DemoProduct product, int count, long seed, int size) throws IOException {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, got " + count);
        }
        if (size < MIN_SIZE || size > MAX_SIZE) {
            throw new IllegalArgumentException("size must be " + MIN_SIZE + ".." + MAX_SIZE + " px, got " + size);
        }
        OutputFolders.requireEmptyOrAbsent(outDir);
        DemoLine line = new DemoLine(product, size, size);
        Map<String, Integer> written = new LinkedHashMap<>();
        SeedSequence seeds = new SeedSequence(seed);
        int width = Math.max(3, String.valueOf(count - 1).length());

        for (int k = 0; k < count; k++) {
            ImageFiles.writePng(outDir.resolve("train/good").resolve(stem(k, width) + ".png"), line.good(seeds.next()));
        }
        written.put("train/good", count);

        int testGood = Math.max(1, count / 4);
        for (int k = 0; k < testGood; k++) {
            ImageFiles.writePng(outDir.resolve("test/good").resolve(stem(k, width) + ".png"), line.good(seeds.next()));
        }
        written.put("test/good", testGood);

        int perDefect = Math.max(1, count / 8);
        for (DemoDefect defect : DemoDefect.values()) {
            String name = defect.cliName();
            for (int k = 0; k < perDefect; k++) {
                DemoSample sample = line.defective(seeds.next(), defect);
                String stem = stem(k, width);
                ImageFiles.writePng(outDir.resolve("test").resolve(name).resolve(stem + ".png"), sample.image());
                ImageFiles.writePng(outDir.resolve("ground_truth").resolve(name).resolve(stem + "_mask.png"),
                        sample.mask().toImage());
            }
            written.put("test/" + name, perDefect);
            written.put("ground_truth/" + name, perDefect);
        }
        return new Summary(outDir, written);
    }

    private static String stem(int index, int width) {
        return String.format(Locale.ROOT, "%0" + width + "d", index);
    }

    /**
     * Image seeds for one dataset: a bijective 64-bit mix of a counter offset by the dataset seed, so no two images
     * of a dataset share a seed and neighbouring dataset seeds do not give shifted copies of each other.
     */
    static final class SeedSequence {
        private final long base;
        private long index;

        SeedSequence(long datasetSeed) {
            this.base = mix(datasetSeed);
        }

        long next() {
            return mix(base + index++);
        }

        /** The SplitMix64 finaliser, a bijection on longs. */
        static long mix(long z) {
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }
    }
}
