package io.dafedge.synth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A batch of synthetic samples from a folder of defect-free images: {@code images/NNNNNN.png},
 * {@code masks/NNNNNN_mask.png} and {@code manifest.csv} ({@code image,mask,source,strategy,seed}) in the output
 * folder. Sources are used in name order, round robin; unreadable ones are reported and skipped. The manifest is
 * written last, so a folder with a manifest holds a complete run.
 */
public final class SynthRun {
    public static final String MANIFEST = "manifest.csv";
    public static final String MANIFEST_HEADER = "image,mask,source,strategy,seed";

    public record Result(int samples, List<String> skipped, Map<String, Integer> perStrategy, long millis) {
    }

    private SynthRun() {
    }

    public static Result run(Path input, Path out, StrategyMix mix, int count, long seed, Consumer<String> warn)
            throws IOException {
        if (count < 1) {
            throw new IllegalArgumentException("--count must be at least 1, got " + count);
        }
        if (!Files.isDirectory(input)) {
            throw new IOException("input folder " + input + " does not exist or is not a folder");
        }
        OutputFolders.requireEmptyOrAbsent(out);
        long start = System.nanoTime();
        List<String> skipped = new ArrayList<>();
        List<Path> sources = readableImages(input, message -> {
            skipped.add(message);
            warn.accept(message);
        });
        Files.createDirectories(out.resolve("images"));
        Files.createDirectories(out.resolve("masks"));
        AnomalySynthesizer synthesizer = new AnomalySynthesizer(mix);
        String[] rows = new String[count];
        String[] strategies = new String[count];
        // samples are independent (own seed, own files): generate them on all cores, keep the manifest in order
        IntStream.range(0, count).parallel().forEach(i -> {
            Path source = sources.get(i % sources.size());
            long sampleSeed = AnomalySynthesizer.sampleSeed(seed, i);
            try {
                Sample s = synthesizer.synthesize(ImageFiles.read(source), sampleSeed);
                String image = String.format("images/%06d.png", i);
                String mask = String.format("masks/%06d_mask.png", i);
                ImageFiles.writePng(out.resolve(image), s.image());
                ImageFiles.writePng(out.resolve(mask), s.mask().toImage());
                rows[i] = String.join(",", csv(image), csv(mask), csv(source.toString()), csv(s.strategy()),
                        Long.toString(sampleSeed));
                strategies[i] = s.strategy();
            } catch (ImageReadException | IOException e) {
                throw new SynthException("sample " + i + " from " + source + ": " + e.getMessage(), e);
            }
        });
        Map<String, Integer> perStrategy = new TreeMap<>();
        StringBuilder manifest = new StringBuilder(MANIFEST_HEADER).append('\n');
        for (int i = 0; i < count; i++) {
            manifest.append(rows[i]).append('\n');
            perStrategy.merge(strategies[i], 1, Integer::sum);
        }
        Path tmp = out.resolve(MANIFEST + ".tmp");
        Files.writeString(tmp, manifest, StandardCharsets.UTF_8);
        Files.move(tmp, out.resolve(MANIFEST), StandardCopyOption.ATOMIC_MOVE);
        return new Result(count, List.copyOf(skipped), perStrategy, (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * The images in {@code dir} that decode, in name order; every file that does not is reported. An empty result
     * is an error naming the folder.
     */
    public static List<Path> readableImages(Path dir, Consumer<String> skipped) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IOException("input folder " + dir + " is empty: it must hold defect-free images");
        }
        List<Path> readable = new ArrayList<>();
        for (Path f : files) {
            try {
                ImageFiles.read(f);
                readable.add(f);
            } catch (ImageReadException e) {
                skipped.accept("skipping " + e.getMessage());
            }
        }
        if (readable.isEmpty()) {
            throw new IOException("input folder " + dir + " holds no readable image (" + files.size() + " files tried)");
        }
        return readable;
    }

    /** RFC 4180 quoting, needed for source paths with commas or quotes. */
    static String csv(String field) {
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }

    /** A sample that failed after its source had been checked (e.g. disk full): the run stops. */
    public static final class SynthException extends RuntimeException {
        SynthException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
