package io.dafedge.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.dafedge.model.ModelBundle;
import io.dafedge.model.ModelCatalog;
import io.dafedge.model.ModelSummary;
import io.dafedge.model.OnnxTeacher;
import io.dafedge.model.Preprocessing;
import io.dafedge.model.baseline.Padim;
import io.dafedge.synth.ImageFiles;
import io.dafedge.synth.ProceduralTextures;
import io.dafedge.synth.StrategyMix;
import io.dafedge.synth.TestImages;
import io.dafedge.train.TrainingRun.State;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real short runs on magnetic-tile frames with the shared teacher, at 128 px and seconds of budget for time. */
class SiteTrainingTest {
    static final String LINE = "line1";
    /** 20 collected frames: 4 held out, 16 to train on (two batches). */
    static final SiteTraining.Limits LIMITS = new SiteTraining.Limits(1, 128, SiteTraining.LEAST_IMAGES, 0.05, 2);
    static Path teacher;
    static List<Path> goods;

    @TempDir
    Path data;

    @BeforeAll
    static void dataset() throws IOException {
        teacher = TestImages.teacher();
        try (Stream<Path> s = Files.list(TestImages.shared().resolve("datasets/magnetic-tile/train/good"))) {
            goods = s.sorted().limit(40).toList();
        }
    }

    /** The line's collected folder with {@code n} frames, as PNGs (the appliance keeps them so). */
    void collect(int n) throws Exception {
        Path dir = Files.createDirectories(data.resolve("lines").resolve(LINE).resolve("collected"));
        for (int i = 0; i < n; i++) {
            ImageFiles.writePng(dir.resolve(String.format("cam-%02d.png", i)), ImageFiles.read(goods.get(i)));
        }
    }

    record FixedSite(List<SiteTraining.Reviewed> reviewed, SiteTraining.Active active) implements SiteTraining.Site {
        @Override
        public List<String> lines() {
            return List.of(LINE);
        }

        @Override
        public List<SiteTraining.Reviewed> evaluationSet(String line) {
            return reviewed;
        }

        @Override
        public Optional<SiteTraining.Active> active(String line) {
            return Optional.ofNullable(active);
        }
    }

    static final SiteTraining.Site EMPTY_SITE = new FixedSite(List.of(), null);

    static TrainingRun awaitEnd(SiteTraining training, UUID id) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            TrainingRun r = training.find(id).orElseThrow();
            if (r.state().finished()) {
                return r;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("run " + id + " did not end: " + training.find(id));
    }

    static List<String> modelFolder(Path data) throws IOException {
        Path models = data.resolve("models");
        if (!Files.isDirectory(models)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(models)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void trainsAModelAndEvaluatesItBesideTheActiveOneWithoutPromotingIt() throws Exception {
        collect(20);
        // the line's active model: PaDiM on other frames of the same part
        Path activeDir = data.resolve("active");
        ModelBundle activeBundle;
        try (OnnxTeacher t = OnnxTeacher.open(teacher, 1)) {
            activeBundle = Padim.fit(t, Preprocessing.imagenet(128), goods.subList(30, 38), activeDir, 0, m -> { });
        }
        // 3 of each class: too few to choose a threshold on, so held-out frames and synthetic defects decide it
        List<SiteTraining.Reviewed> reviewed = reviewed(3);
        MemoryRuns runs = new MemoryRuns();
        try (SiteTraining training = new SiteTraining(data, Optional.of(teacher), LIMITS,
                new FixedSite(reviewed, new SiteTraining.Active(activeBundle, 0.5f)), runs)) {
            TrainingRun started = training.start(LINE, "perlin-texture", 0.25, "eng");
            assertEquals(State.QUEUED, started.state());
            TrainingRun r = awaitEnd(training, started.id());
            assertEquals(State.SUCCEEDED, r.state(), r.message());
            assertEquals(r, runs.find(r.id()).orElseThrow(), "the store holds the final state");
            assertEquals(1.0, r.fraction());
            assertNull(r.etaSeconds());
            assertNotNull(r.finishedAt());
            assertFalse(r.history().isEmpty());
            assertTrue(Float.isFinite(r.losses().total()) && r.losses().total() > 0, r.losses().toString());
            assertTrue(r.epoch() >= 1);

            Path dir = Path.of(r.modelDir());
            assertEquals(data.resolve("models"), dir.getParent());
            assertEquals(List.of(dir.getFileName().toString()), modelFolder(data), "no hidden leftovers");
            ModelBundle bundle = ModelBundle.open(dir);
            assertEquals(r.modelId(), bundle.id());
            assertEquals(r.id().toString(), bundle.manifest().path("site_training").path("run").asText());
            assertEquals(16, bundle.manifest().path("training").path("images").asInt(), "4 of 20 held out");
            ModelCatalog catalog = new ModelCatalog(List::of, List.of(data.resolve("models")));
            assertEquals(List.of(r.modelId()), catalog.list().stream().map(ModelBundle::id).toList());

            TrainingRun.Comparison c = r.evaluation();
            assertEquals(3, c.good());
            assertEquals(3, c.defective());
            TrainingRun.ModelScore candidate = c.candidate();
            assertEquals(r.modelId(), candidate.modelId());
            assertTrue(candidate.thresholdSource().contains("held-out"), candidate.thresholdSource());
            assertEquals(6, candidate.correct() + candidate.falseAlarms() + candidate.misses());
            ModelSummary summary = ModelSummary.of(ModelBundle.open(dir));
            assertEquals(candidate.threshold(), summary.threshold().floatValue(), "the Models page offers it");
            assertEquals(candidate.falseAlarms(), summary.metrics().path("false_alarms").asInt());
            assertNotNull(candidate.auroc());
            TrainingRun.ModelScore active = c.active();
            assertEquals(activeBundle.id(), active.modelId());
            assertEquals(0.5f, active.threshold());
            assertEquals(6, active.correct() + active.falseAlarms() + active.misses());
            assertNotNull(active.auroc());

            // with 5 of each class reviewed, the threshold is chosen on them
            try (SiteTraining enough = new SiteTraining(data, Optional.of(teacher), LIMITS,
                    new FixedSite(reviewed(5), null), new MemoryRuns())) {
                TrainingRun.Comparison onReviewed = enough.evaluate(LINE, bundle, Preprocessing.imagenet(128),
                        List.of(), StrategyMix.parse("perlin-texture", new ProceduralTextures()), 0);
                assertTrue(onReviewed.candidate().thresholdSource().startsWith("chosen on these 10 reviewed frames"),
                        onReviewed.candidate().thresholdSource());
                // the best balanced accuracy is never below calling every frame one way
                assertTrue(onReviewed.candidate().correct() >= 5, onReviewed.candidate().toString());
                assertNull(onReviewed.active());
            }
        }
    }

    /** {@code n} good frames the run does not train on and {@code n} with blowholes, as reviewed pictures. */
    static List<SiteTraining.Reviewed> reviewed(int n) throws Exception {
        List<SiteTraining.Reviewed> reviewed = new ArrayList<>();
        for (Path g : goods.subList(20, 20 + n)) {
            reviewed.add(new SiteTraining.Reviewed(false, ImageFiles.encodePng(ImageFiles.read(g))));
        }
        try (Stream<Path> s = Files.list(TestImages.shared().resolve("datasets/magnetic-tile/test/blowhole"))) {
            for (Path b : s.sorted().limit(n).toList()) {
                reviewed.add(new SiteTraining.Reviewed(true, ImageFiles.encodePng(ImageFiles.read(b))));
            }
        }
        return reviewed;
    }

    @Test
    void aCancelledRunLeavesNoBundleAndASecondStartIsRefusedWhileOneRuns() throws Exception {
        collect(20);
        MemoryRuns runs = new MemoryRuns();
        try (SiteTraining training = new SiteTraining(data, Optional.of(teacher), LIMITS, EMPTY_SITE, runs)) {
            TrainingRun r = training.start(LINE, "perlin-texture", 2, "eng");
            IllegalStateException busy = assertThrowsExactly(IllegalStateException.class,
                    () -> training.start(LINE, "perlin-texture", 1, "other"));
            assertTrue(busy.getMessage().contains(r.id().toString()), busy.getMessage());
            // until the first loss report: the trainer is in its loop, the hidden bundle not yet written
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (training.find(r.id()).orElseThrow().losses() == null && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(State.RUNNING, training.find(r.id()).orElseThrow().state());
            training.cancel(r.id(), "eng");
            TrainingRun end = awaitEnd(training, r.id());
            assertEquals(State.CANCELLED, end.state());
            assertEquals("cancelled by eng", end.message());
            assertEquals(State.CANCELLED, runs.find(r.id()).orElseThrow().state());
            assertEquals(List.of(), modelFolder(data));
            assertThrowsExactly(IllegalStateException.class, () -> training.cancel(r.id(), "eng"));
        }
    }

    @Test
    void aRestartMarksUnfinishedRunsAbortedAndDeletesIncompleteBundles() throws Exception {
        MemoryRuns runs = new MemoryRuns();
        TrainingRun running = new TrainingRun(UUID.randomUUID(), LINE, "perlin-texture", 5, 1, "eng", State.RUNNING,
                Instant.now(), Instant.now(), null, 0.4, 3, 100.0, null, List.of(), "training", null, null, null);
        TrainingRun done = new TrainingRun(UUID.randomUUID(), LINE, "perlin-texture", 5, 1, "eng", State.CANCELLED,
                Instant.now().minusSeconds(60), null, Instant.now(), 0, null, null, null, List.of(), "cancelled by eng",
                null, null, null);
        runs.save(running);
        runs.save(done);
        Path models = Files.createDirectories(data.resolve("models"));
        Files.writeString(Files.createDirectories(models.resolve(".training-" + running.id())).resolve("x.npy"), "x");
        Files.createDirectories(models.resolve("..training-" + running.id() + ".partial-123"));
        Files.createDirectories(models.resolve("installed"));
        try (SiteTraining training = new SiteTraining(data, Optional.of(teacher), LIMITS, EMPTY_SITE, runs)) {
            TrainingRun aborted = training.find(running.id()).orElseThrow();
            assertEquals(State.ABORTED, aborted.state());
            assertEquals("the appliance restarted during training", aborted.message());
            assertNotNull(aborted.finishedAt());
            assertEquals(done, training.find(done.id()).orElseThrow());
            assertEquals(List.of("installed"), modelFolder(data));
        }
    }

    @Test
    void refusesWhatCannotWork() throws Exception {
        collect(LIMITS.minImages() - 1);
        MemoryRuns runs = new MemoryRuns();
        try (SiteTraining noTeacher = new SiteTraining(data, Optional.empty(), LIMITS, EMPTY_SITE, runs)) {
            assertRefused(IllegalArgumentException.class, "daf.teacher",
                    () -> noTeacher.start(LINE, "perlin-texture", 1, "eng"));
        }
        try (SiteTraining training = new SiteTraining(data, Optional.of(teacher), LIMITS, EMPTY_SITE, runs)) {
            assertRefused(IllegalArgumentException.class, "has 19 collected frames",
                    () -> training.start(LINE, "perlin-texture", 1, "eng"));
            assertRefused(IllegalArgumentException.class, "no line 'line2'",
                    () -> training.start("line2", "perlin-texture", 1, "eng"));
            assertRefused(IllegalArgumentException.class, "unknown strategy 'sparkle'",
                    () -> training.start(LINE, "sparkle", 1, "eng"));
            assertRefused(IllegalArgumentException.class, "0.05 to 2 minutes",
                    () -> training.start(LINE, "perlin-texture", 3, "eng"));
            assertRefused(IllegalArgumentException.class, "0.05 to 2 minutes",
                    () -> training.start(LINE, "perlin-texture", Double.NaN, "eng"));
            assertRefused(NoSuchElementException.class, "no training run",
                    () -> training.cancel(UUID.randomUUID(), "eng"));
            assertEquals(List.of(), training.list(), "nothing was started");
        }
        assertThrows(IllegalArgumentException.class, () -> new SiteTraining.Limits(1, 128, 12, 1, 240),
                "fewer than two batches plus the held-out frames");
    }

    /** A refusal of the kind the API maps to a status (400, 404, 409), saying {@code says}. */
    static void assertRefused(Class<? extends RuntimeException> kind, String says, Runnable call) {
        RuntimeException e = assertThrowsExactly(kind, call::run);
        assertTrue(e.getMessage().contains(says), e.getMessage());
    }

    @Test
    void theLossHistoryStaysBoundedAndSpansTheWholeRun() {
        List<TrainingRun.Losses> h = List.of();
        for (int i = 0; i < 5 * SiteTraining.MAX_HISTORY; i++) {
            h = SiteTraining.thinned(h, new TrainingRun.Losses(i, i, 0, 0, 0, 0, 0, i));
        }
        assertTrue(h.size() <= SiteTraining.MAX_HISTORY, "size " + h.size());
        assertEquals(0, h.get(0).step());
        assertEquals(5 * SiteTraining.MAX_HISTORY - 1, h.get(h.size() - 1).step());
    }

    @Test
    void theTrainingThreadRunsAtTheLowestPriority() throws Exception {
        AtomicInteger nice = new AtomicInteger(Integer.MIN_VALUE);
        String[] said = new String[1];
        Thread t = new Thread(() -> {
            said[0] = LowPriority.lowerCurrentThread();
            try {
                nice.set(LowPriority.currentNice());
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        t.start();
        t.join();
        assertEquals(LowPriority.NICE, nice.get(), said[0]);
        assertTrue(LowPriority.currentNice() < LowPriority.NICE, "only that thread was reniced");
    }
}
