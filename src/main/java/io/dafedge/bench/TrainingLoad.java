package io.dafedge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.dafedge.synth.ImageFiles;
import io.dafedge.synth.ImageReadException;
import io.dafedge.train.MemoryRuns;
import io.dafedge.train.SiteTraining;
import io.dafedge.train.TrainingMaterial;
import io.dafedge.train.TrainingRun;

/**
 * An on-site training run in the background of a measurement, as the appliance runs it ({@link SiteTraining}: its
 * thread budget, nice 19, the same trainer), on a line of its own in a temporary data folder whose collected frames
 * are copies of the given images. {@link #start} returns once the trainer is in its training loop (past the
 * teacher's features), the load it puts on the box for the rest of a run; {@link #close} cancels it and deletes the
 * folder.
 */
public final class TrainingLoad implements AutoCloseable {
    static final String LINE = "bench-training";
    private static final long START_NANOS = 600_000_000_000L;

    private final Path dataDir;
    private final SiteTraining training;
    private final TrainingRun run;

    private TrainingLoad(Path dataDir, SiteTraining training, TrainingRun run) {
        this.dataDir = dataDir;
        this.training = training;
        this.run = run;
    }

    /**
     * @param images  good images of the part, any format ImageFiles reads; the first {@code limit} in name order
     * @param minutes the run's budget: longer than the measurement, the run is cancelled after it
     */
    public static TrainingLoad start(Path teacher, List<Path> images, int limit, int threads, int size,
            double minutes, Consumer<String> progress) throws IOException, InterruptedException {
        Path dataDir = Files.createTempDirectory("daf-bench-training");
        try {
            Path collected = Files.createDirectories(TrainingMaterial.folder(dataDir.resolve("lines"), LINE));
            int n = 0;
            for (Path image : images.stream().sorted().limit(limit).toList()) {
                try {
                    ImageFiles.writePng(collected.resolve(String.format(Locale.ROOT, "frame-%04d.png", n++)),
                            ImageFiles.read(image));
                } catch (ImageReadException e) {
                    progress.accept("training load: skipped " + e.getMessage());
                }
            }
            SiteTraining training = new SiteTraining(dataDir, Optional.of(teacher), new SiteTraining.Limits(threads,
                    size, SiteTraining.LEAST_IMAGES, minutes, minutes), new NoReviews(), new MemoryRuns());
            TrainingRun run = training.start(LINE, "perlin-texture", minutes, "bench");
            TrainingLoad load = new TrainingLoad(dataDir, training, run);
            progress.accept(String.format(Locale.ROOT, "training load: run %s on %d frames, %d thread(s); waiting "
                    + "for its training loop", run.id(), n, threads));
            long deadline = System.nanoTime() + START_NANOS;
            TrainingRun now = load.now();
            while (now.losses() == null && !now.state().finished() && System.nanoTime() < deadline) {
                Thread.sleep(500);
                now = load.now();
            }
            if (now.losses() == null) {
                load.close();
                throw new IOException("the training run did not reach its training loop: " + now.state() + ", "
                        + now.message());
            }
            return load;
        } catch (IOException | InterruptedException | RuntimeException e) {
            deleteTree(dataDir);
            throw e;
        }
    }

    public TrainingRun now() {
        return training.find(run.id()).orElseThrow();
    }

    /** Cancels the run, waits for it to end, deletes the folder. */
    @Override
    public void close() throws IOException {
        try {
            if (!now().state().finished()) {
                training.cancel(run.id(), "bench");
            }
            training.close();
        } finally {
            deleteTree(dataDir);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The bench's training line: no reviews and no model, as a new line on site. */
    private static final class NoReviews implements SiteTraining.Site {
        @Override
        public List<String> lines() {
            return List.of(LINE);
        }

        @Override
        public List<SiteTraining.Reviewed> evaluationSet(String line) {
            return List.of();
        }

        @Override
        public Optional<SiteTraining.Active> active(String line) {
            return Optional.empty();
        }
    }
}
