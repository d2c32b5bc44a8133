package io.dafedge.train;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dafedge.model.Detector;
import io.dafedge.model.Detectors;
import io.dafedge.model.ModelBundle;
import io.dafedge.model.ModelException;
import io.dafedge.model.Preprocessing;
import io.dafedge.model.djl.Djl;
import io.dafedge.synth.AnomalySynthesizer;
import io.dafedge.synth.Image;
import io.dafedge.synth.ImageFiles;
import io.dafedge.synth.ImageReadException;
import io.dafedge.synth.ProceduralTextures;
import io.dafedge.synth.StrategyMix;
import io.dafedge.train.TrainingRun.Comparison;
import io.dafedge.train.TrainingRun.Losses;
import io.dafedge.train.TrainingRun.ModelScore;
import io.dafedge.train.TrainingRun.State;
import io.dafedge.train.metrics.Auroc;

/**
 * On-site DAF training in the running appliance: one run at a time, in the background, on a bounded number of
 * threads at low priority so inspection keeps its rate. A run trains on the PNGs in the line's {@code collected/}
 * folder (candidate frames and frames operators chose as training material), writes its bundle into a hidden
 * folder of {@code models/} that is renamed into place only when complete, and ends with an evaluation of the new
 * and the line's active model on the line's reviewed frames. It never promotes: that is the engineer's click.
 *
 * <p>A run's bundle is hidden until complete, so the model catalog never lists half a bundle; a cancel or a failure
 * deletes it, and at start-up runs left running are marked {@link State#ABORTED} and hidden leftovers deleted.
 */
public final class SiteTraining implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SiteTraining.class);
    /** Loss reports kept per run for the chart; older ones are thinned, so the chart always spans the whole run. */
    public static final int MAX_HISTORY = 240;
    /** Reviewed frames of each class needed before the new model's threshold is chosen on them. */
    static final int MIN_REVIEWED_PER_CLASS = 5;
    /**
     * Collected frames held out of training (a fifth, within these bounds): the new model's threshold is chosen on
     * them and on synthetic defects made from them when the reviewed frames are too few.
     */
    static final int MIN_HELD_OUT = 4;
    static final int MAX_HELD_OUT = 50;
    /** Smallest minimum of collected frames: two batches to train on (batch norm, a shuffled epoch) plus the held-out. */
    public static final int LEAST_IMAGES = 2 * DafTrainer.DEFAULT_BATCH + MIN_HELD_OUT;
    static final String HIDDEN = ".training-";
    private static final long SAVE_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);
    private static final long SYNTHETIC_SEED = 0x51DE_D3F3_C7L;

    /**
     * The appliance's bounds for runs.
     *
     * @param threads   for PyTorch, ONNX Runtime and the compiled kernels during a run
     * @param inputSize the new models' input side
     * @param minImages collected frames a run needs at least (at least {@link #LEAST_IMAGES})
     */
    public record Limits(int threads, int inputSize, int minImages, double minMinutes, double maxMinutes) {
        public Limits {
            if (threads < 1 || inputSize < DafTrainer.MIN_SIDE || inputSize % 16 != 0 || minImages < LEAST_IMAGES
                    || !(minMinutes > 0) || !(maxMinutes >= minMinutes)) {
                throw new IllegalArgumentException("training limits: threads >= 1, input size a multiple of 16 of "
                        + "at least " + DafTrainer.MIN_SIDE + ", at least " + LEAST_IMAGES + " images, 0 < minimum "
                        + "minutes <= maximum; got " + threads + ", " + inputSize + ", " + minImages + ", "
                        + minMinutes + ", " + maxMinutes);
            }
        }
    }

    /** What a run needs of the appliance. */
    public interface Site {
        List<String> lines();

        /** The line's reviewed pictures that are not training material. */
        List<Reviewed> evaluationSet(String line);

        /** The line's active model and its threshold, if it has one. */
        Optional<Active> active(String line);
    }

    public record Reviewed(boolean defective, byte[] png) {
    }

    public record Active(ModelBundle bundle, float threshold) {
    }

    /** Where runs are kept. */
    public interface Runs {
        /** Inserts or replaces the run with this id. */
        void save(TrainingRun run);

        /** Newest first. */
        List<TrainingRun> all();

        Optional<TrainingRun> find(UUID id);
    }

    private final Path linesDir;
    private final Path modelsDir;
    private final Optional<Path> teacher;
    private final Limits limits;
    private final Site site;
    private final Runs runs;
    private final ExecutorService executor;
    /** The latest snapshot of the run started last; runs before it live only in {@link #runs}. */
    private volatile TrainingRun current;
    /** Why the current run is to stop (null: it is not): a cancel, or the appliance stopping. */
    private volatile Stop stop;
    private long lastSave = System.nanoTime();

    private record Stop(State state, String message) {
    }

    /**
     * Marks runs the last process left queued or running as aborted and deletes leftover hidden bundles: the
     * appliance stopped (or crashed) under them, and their bundles are incomplete.
     *
     * @param dataDir the appliance's data folder: frames come from {@code lines/<line>/collected/}, bundles go to
     *                {@code models/}
     */
    public SiteTraining(Path dataDir, Optional<Path> teacher, Limits limits, Site site, Runs runs) {
        this.linesDir = dataDir.resolve("lines");
        this.modelsDir = dataDir.resolve("models");
        this.teacher = teacher;
        this.limits = limits;
        this.site = site;
        this.runs = runs;
        recover();
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "site-training");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY); // no effect on Linux without root; LowPriority does the real work
            return t;
        });
    }

    private void recover() {
        for (TrainingRun r : runs.all()) {
            if (!r.state().finished()) {
                runs.save(r.with(State.ABORTED, "the appliance restarted during training"));
                LOG.warnf("training run %s on line %s was %s when the appliance stopped: marked aborted", r.id(),
                        r.line(), r.state());
            }
        }
        if (!Files.isDirectory(modelsDir)) {
            return;
        }
        // the trainer's own partial folder is a hidden sibling named after ours ("." + ".training-...")
        try (DirectoryStream<Path> s = Files.newDirectoryStream(modelsDir, p -> p.getFileName().toString()
                .startsWith(HIDDEN) || p.getFileName().toString().startsWith("." + HIDDEN))) {
            for (Path leftover : s) {
                deleteTree(leftover);
                LOG.warnf("deleted %s, the incomplete bundle of an interrupted training run", leftover);
            }
        } catch (IOException e) {
            LOG.errorf("cannot clear incomplete training bundles in %s: %s", modelsDir, e.getMessage());
        }
    }

    /** The strategies a run may ask for (a mix such as {@code perlin-texture:2,cutpaste} works too). */
    public static List<String> strategies() {
        return StrategyMix.names();
    }

    public Limits limits() {
        return limits;
    }

    /**
     * Starts a run in the background.
     *
     * @throws IllegalArgumentException for a bad request or missing material (nothing is started)
     * @throws IllegalStateException    while another run is queued or running
     */
    public synchronized TrainingRun start(String line, String strategy, double minutes, String startedBy) {
        TrainingRun running = current;
        if (running != null && !running.state().finished()) {
            throw new IllegalStateException("training run " + running.id() + " on line " + running.line()
                    + " is " + running.state().name().toLowerCase(Locale.ROOT) + "; the appliance trains one model "
                    + "at a time: wait for it or cancel it");
        }
        if (line == null || !site.lines().contains(line)) {
            throw new IllegalArgumentException("no line '" + line + "' on this appliance; lines: " + site.lines());
        }
        if (strategy == null) {
            throw new IllegalArgumentException("choose a synthetic defect strategy: " + String.join(", ", strategies()));
        }
        StrategyMix mix = StrategyMix.parse(strategy, new ProceduralTextures());
        if (!(minutes >= limits.minMinutes() && minutes <= limits.maxMinutes())) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "the time budget must be %s to %s minutes, got %s", number(limits.minMinutes()),
                    number(limits.maxMinutes()), number(minutes)));
        }
        Path teacherFile = teacher.orElseThrow(() -> new IllegalArgumentException("no teacher model is "
                + "configured: DAF learns from a teacher backbone; set daf.teacher to its ONNX file"));
        if (!Files.isRegularFile(teacherFile)) {
            throw new IllegalArgumentException("the teacher model " + teacherFile + " (daf.teacher) is not a file");
        }
        List<Path> frames = collected(line);
        if (frames.size() < limits.minImages()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "line %s has %d collected frames in "
                    + "%s; a run needs at least %d: at least %d are held out to choose the new model's threshold, and "
                    + "the rest must fill more than one batch of %d, or the model learns those few frames rather than "
                    + "the part. Let the line collect more, or mark good frames as training material on the review "
                    + "page.", line, frames.size(), TrainingMaterial.folder(linesDir, line), limits.minImages(),
                    MIN_HELD_OUT, DafTrainer.DEFAULT_BATCH));
        }
        TrainingRun run = new TrainingRun(UUID.randomUUID(), line, strategy, minutes, limits.threads(), startedBy,
                State.QUEUED, Instant.now(), null, null, 0, null, minutes * 60, null, List.of(),
                "waiting to start", null, null, null);
        runs.save(run); // first: a run the store refused must not block the next start
        stop = null;
        current = run;
        executor.execute(() -> execute(run, mix, teacherFile, frames));
        LOG.infof("training run %s started by %s: line %s, %s, %s minutes, %d thread(s), %d frames", run.id(),
                startedBy, line, strategy, number(minutes), limits.threads(), frames.size());
        return run;
    }

    /**
     * Asks a queued or running run to stop; it turns CANCELLED (its bundle deleted) within a training step.
     *
     * @throws NoSuchElementException for an unknown run
     * @throws IllegalStateException  for a run that has ended
     */
    public synchronized TrainingRun cancel(UUID id, String by) {
        TrainingRun run = find(id).orElseThrow(() -> new NoSuchElementException("no training run " + id));
        if (run.state().finished()) {
            throw new IllegalStateException("training run " + id + " has already ended ("
                    + run.state().name().toLowerCase(Locale.ROOT) + ")");
        }
        stop = new Stop(State.CANCELLED, "cancelled by " + by);
        TrainingRun cancelling = run.progressed(run.fraction(), run.epoch(), run.etaSeconds(), run.losses(),
                run.history(), "cancelling (asked by " + by + ")");
        current = cancelling;
        return cancelling;
    }

    public Optional<TrainingRun> find(UUID id) {
        TrainingRun c = current;
        return c != null && c.id().equals(id) ? Optional.of(c) : runs.find(id);
    }

    /** Every run, newest first, the current one as it is now. */
    public List<TrainingRun> list() {
        TrainingRun c = current;
        return runs.all().stream().map(r -> c != null && r.id().equals(c.id()) ? c : r).toList();
    }

    /** The run started last, if any since this appliance started. */
    public Optional<TrainingRun> current() {
        return Optional.ofNullable(current);
    }

    /** How many frames a run of the line would train on and hold out now. */
    public int collectedFrames(String line) {
        return collected(line).size();
    }

    /** The PNGs a run of the line would train on, in a stable order. */
    List<Path> collected(String line) {
        try {
            return TrainingMaterial.frames(TrainingMaterial.folder(linesDir, line));
        } catch (IOException e) {
            throw new IllegalArgumentException("the collected frames of line " + line + " are not readable: "
                    + e.getMessage());
        }
    }

    private void execute(TrainingRun queued, StrategyMix mix, Path teacherFile, List<Path> frames) {
        Path hidden = modelsDir.resolve(HIDDEN + queued.id());
        long seed = queued.id().getMostSignificantBits();
        try {
            if (stop != null) {
                throw new CancellationException("cancelled before it started");
            }
            String priority = LowPriority.lowerCurrentThread();
            // process-wide in PyTorch; inspection does not use PyTorch unless a DAF bundle falls back to DJL
            Djl.limitThreads(limits.threads());
            LOG.infof("training run %s: %s, %d thread(s)", queued.id(), priority, limits.threads());
            long started = System.nanoTime();
            update(queued.started(Instant.now(), queued.minutes() * 60), true);
            List<Path> shuffled = shuffled(frames, seed);
            int heldOut = Math.max(MIN_HELD_OUT, Math.min(MAX_HELD_OUT, frames.size() / 5));
            List<Path> held = shuffled.subList(0, heldOut);
            List<Path> training = shuffled.subList(heldOut, shuffled.size());
            Files.createDirectories(modelsDir);
            DafTrainer.Settings settings = DafTrainer.Settings.timed(queued.minutes(), queued.strategy(), mix, seed,
                    limits.threads());
            Preprocessing pre = Preprocessing.imagenet(limits.inputSize());
            ModelBundle bundle = new DafTrainer(settings, new Reporter(started)).train(teacherFile, pre, training,
                    hidden);
            TrainingRun trained = current;
            update(trained.progressed(1, trained.epoch(), null, trained.losses(), trained.history(),
                    "evaluating the new model"), true);
            Comparison comparison = evaluate(queued.line(), bundle, pre, held, mix, seed);
            stopIfAsked();
            recordInManifest(bundle, queued, comparison);
            Path target = modelsDir.resolve(queued.line() + "-" + STAMP.format(queued.createdAt()) + "-"
                    + queued.id().toString().substring(0, 8));
            Files.move(hidden, target, StandardCopyOption.ATOMIC_MOVE);
            update(current.succeeded(bundle.id(), target.toString(), comparison, "new model " + bundle.id()
                    + " is ready; promote it on the Models page"), true);
            LOG.infof("training run %s: model %s in %s", queued.id(), bundle.id(), target);
        } catch (CancellationException e) {
            Stop s = stop != null ? stop : new Stop(State.CANCELLED, e.getMessage());
            end(hidden, s.state(), s.message());
        } catch (Exception | LinkageError e) {
            String why = e.getMessage() != null ? e.getMessage() : e.toString();
            LOG.errorf(e, "training run %s failed", queued.id());
            end(hidden, State.FAILED, "failed: " + why);
        }
    }

    private void end(Path hidden, State state, String message) {
        try {
            deleteTree(hidden);
        } catch (IOException e) {
            LOG.errorf("incomplete bundle %s not deleted (it is deleted at the next start): %s", hidden,
                    e.getMessage());
        }
        update(current.with(state, message), true);
        LOG.infof("training run %s: %s", current.id(), message);
    }

    private void stopIfAsked() {
        if (stop != null) {
            throw new CancellationException(stop.message());
        }
    }

    /** Makes {@code run} the current snapshot; stores it on a change of state, otherwise every few seconds. */
    private synchronized void update(TrainingRun run, boolean save) {
        TrainingRun c = current;
        // a cancel's note stays on screen until the run ends
        String message = stop != null && !run.state().finished() && c != null ? c.message() : run.message();
        current = run.message().equals(message) ? run : run.progressed(run.fraction(), run.epoch(), run.etaSeconds(),
                run.losses(), run.history(), message);
        long now = System.nanoTime();
        if (save || now - lastSave >= SAVE_NANOS) {
            runs.save(current);
            lastSave = now;
        }
    }

    /** Feeds the trainer's reports into the run, and tells it when to stop. */
    private final class Reporter implements DafTrainer.Listener {
        private final long started;

        Reporter(long started) {
            this.started = started;
        }

        /** Also moves the bar and the ETA on while the teacher's features are cached, before the first report. */
        @Override
        public void log(String message) {
            TrainingRun c = current;
            double budget = c.minutes() * 60;
            double seconds = (System.nanoTime() - started) / 1e9;
            update(c.progressed(Math.min(1, seconds / budget), c.epoch(), Math.max(0, budget - seconds), c.losses(),
                    c.history(), message), false);
        }

        @Override
        public void progress(DafTrainer.Progress p) {
            float[] l = p.losses();
            Losses losses = new Losses((System.nanoTime() - started) / 1e9, p.step(), l[0], l[1], l[2], l[3], l[4],
                    l[5]);
            TrainingRun c = current;
            List<Losses> history = thinned(c.history(), losses);
            // of the whole budget: the trainer's own fraction starts after the teacher's features are cached
            double fraction = Math.min(1, losses.seconds() / (c.minutes() * 60));
            update(c.progressed(fraction, p.epoch(), p.etaSeconds(), losses, history, String.format(Locale.ROOT,
                    "training: epoch %d of about %.0f, %.1f samples/s", p.epoch(), p.epochsPlanned(),
                    p.samplesPerSecond())), false);
        }

        @Override
        public boolean cancelled() {
            return stop != null;
        }
    }

    /** The history with {@code latest} appended; at the limit every other report is dropped first. */
    static List<Losses> thinned(List<Losses> history, Losses latest) {
        List<Losses> out = new ArrayList<>(history.size() + 1);
        if (history.size() >= MAX_HISTORY) {
            for (int i = 0; i < history.size(); i += 2) {
                out.add(history.get(i));
            }
        } else {
            out.addAll(history);
        }
        out.add(latest);
        return List.copyOf(out);
    }

    private static List<Path> shuffled(List<Path> frames, long seed) {
        List<Path> out = new ArrayList<>(frames);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = out.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Path t = out.get(i);
            out.set(i, out.get(j));
            out.set(j, t);
        }
        return out;
    }

    /**
     * The new model's threshold comes from the reviewed frames when they hold enough of both classes; otherwise from
     * the held-out collected frames against synthetic defects the project's generator makes on them (the run's
     * strategies, other seeds): good frames alone would put it above every good frame, which floods false alarms
     * as soon as the light changes. Both models are then counted on the reviewed frames at their own threshold.
     */
    Comparison evaluate(String line, ModelBundle bundle, Preprocessing pre, List<Path> held, StrategyMix mix,
            long seed) throws ModelException {
        List<Image> images = new ArrayList<>();
        List<Boolean> labels = new ArrayList<>();
        for (Reviewed r : site.evaluationSet(line)) {
            try {
                images.add(ImageFiles.decode(r.png(), "reviewed frame"));
                labels.add(r.defective());
            } catch (ImageReadException e) {
                LOG.warnf("training evaluation: a reviewed picture of line %s is unreadable: %s", line,
                        e.getMessage());
            }
        }
        boolean[] defective = new boolean[labels.size()];
        int bad = 0;
        for (int i = 0; i < defective.length; i++) {
            defective[i] = labels.get(i);
            bad += defective[i] ? 1 : 0;
        }
        int good = defective.length - bad;
        ModelScore candidate;
        try (Detector detector = Detectors.load(bundle, limits.threads())) {
            float[] scores = scores(detector, images);
            float threshold;
            String source;
            if (good >= MIN_REVIEWED_PER_CLASS && bad >= MIN_REVIEWED_PER_CLASS) {
                threshold = Thresholds.balanced(of(scores, defective, false), of(scores, defective, true))
                        .threshold();
                source = "chosen on these " + defective.length + " reviewed frames";
            } else {
                threshold = heldOutThreshold(detector, pre, held, mix, seed);
                source = String.format(Locale.ROOT, "chosen on %d held-out collected frames and %d synthetic defects "
                        + "made from them (fewer than %d reviewed frames of each class)", held.size(), held.size(),
                        MIN_REVIEWED_PER_CLASS);
            }
            candidate = score(bundle.id(), threshold, source, scores, defective);
        }
        ModelScore active = null;
        Optional<Active> a = site.active(line);
        if (a.isPresent()) {
            try (Detector detector = Detectors.load(a.get().bundle(), limits.threads())) {
                active = score(a.get().bundle().id(), a.get().threshold(), "the line's threshold",
                        scores(detector, images), defective);
            }
        }
        return new Comparison(good, bad, candidate, active);
    }

    private float heldOutThreshold(Detector detector, Preprocessing pre, List<Path> held, StrategyMix mix, long seed)
            throws ModelException {
        AnomalySynthesizer synthesizer = new AnomalySynthesizer(mix);
        List<Float> good = new ArrayList<>();
        List<Float> bad = new ArrayList<>();
        for (int i = 0; i < held.size(); i++) {
            stopIfAsked();
            Image image;
            try {
                image = pre.resized(ImageFiles.read(held.get(i)));
            } catch (ImageReadException e) {
                LOG.warnf("training evaluation: held-out frame skipped: %s", e.getMessage());
                continue;
            }
            // grey frames get grey defects, as in training
            Image source = DafTrainer.colourless(image) ? image.toChannels(1) : image;
            good.add(detector.score(image).score());
            Image defect = synthesizer.synthesize(source, AnomalySynthesizer.sampleSeed(seed ^ SYNTHETIC_SEED, i))
                    .image().toChannels(3);
            bad.add(detector.score(defect).score());
        }
        if (good.isEmpty()) {
            throw new ModelException("no held-out frame was readable, so no threshold can be chosen");
        }
        return Thresholds.balanced(floats(good), floats(bad)).threshold();
    }

    private float[] scores(Detector detector, List<Image> images) {
        float[] out = new float[images.size()];
        for (int i = 0; i < out.length; i++) {
            stopIfAsked();
            out[i] = detector.score(images.get(i)).score();
        }
        return out;
    }

    private static ModelScore score(String modelId, float threshold, String source, float[] scores,
            boolean[] defective) {
        int correct = 0;
        int falseAlarms = 0;
        int misses = 0;
        for (int i = 0; i < scores.length; i++) {
            boolean nok = scores[i] >= threshold;
            if (nok == defective[i]) {
                correct++;
            } else if (nok) {
                falseAlarms++;
            } else {
                misses++;
            }
        }
        double auroc = Auroc.of(scores, defective);
        return new ModelScore(modelId, threshold, source, Double.isNaN(auroc) ? null : auroc, correct, falseAlarms,
                misses);
    }

    private static float[] of(float[] scores, boolean[] defective, boolean which) {
        List<Float> out = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            if (defective[i] == which) {
                out.add(scores[i]);
            }
        }
        return floats(out);
    }

    private static float[] floats(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    /** The bundle says where it came from and which threshold its run chose, for the Models page. */
    private static void recordInManifest(ModelBundle bundle, TrainingRun run, Comparison c) throws IOException {
        ObjectNode manifest = (ObjectNode) bundle.manifest().deepCopy();
        ObjectNode site = manifest.putObject("site_training");
        site.put("run", run.id().toString());
        site.put("line", run.line());
        site.put("started_by", run.startedBy());
        site.put("threshold", c.candidate().threshold());
        site.put("threshold_source", c.candidate().thresholdSource());
        site.set("evaluation", ModelBundle.JSON.valueToTree(c));
        // the top-level keys every bundle may carry, which the Models page shows and a promotion defaults to
        manifest.put("threshold", c.candidate().threshold());
        ObjectNode metrics = manifest.putObject("metrics");
        metrics.put("reviewed_good", c.good());
        metrics.put("reviewed_defective", c.defective());
        if (c.candidate().auroc() != null) {
            metrics.put("reviewed_image_auroc", c.candidate().auroc());
        }
        metrics.put("false_alarms", c.candidate().falseAlarms());
        metrics.put("misses", c.candidate().misses());
        ModelBundle.JSON.writeValue(bundle.dir().resolve(ModelBundle.MANIFEST).toFile(), manifest);
    }

    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Stops a run under way as aborted (its bundle deleted) and waits for it briefly. */
    @Override
    public void close() {
        if (stop == null) { // a cancel under way stays a cancel
            stop = new Stop(State.ABORTED, "the appliance stopped during training");
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("the training run did not stop within 30 s; it is marked aborted at the next start");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
