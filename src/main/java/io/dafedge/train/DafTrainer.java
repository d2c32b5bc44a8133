package io.dafedge.train;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dafedge.model.FeatureMap;
import io.dafedge.model.ModelBundle;
import io.dafedge.model.ModelException;
import io.dafedge.model.OnnxTeacher;
import io.dafedge.model.Preprocessing;
import io.dafedge.model.daf.DafBundle;
import io.dafedge.model.daf.DafLoss;
import io.dafedge.model.daf.DafNetwork;
import io.dafedge.model.daf.Normalisation;
import io.dafedge.model.djl.Djl;
import io.dafedge.prune.GradualPruning;
import io.dafedge.prune.KernelTimer;
import io.dafedge.synth.AnomalySynthesizer;
import io.dafedge.synth.Image;
import io.dafedge.synth.ImageFiles;
import io.dafedge.synth.ImageReadException;
import io.dafedge.synth.Mask;
import io.dafedge.synth.Sample;
import io.dafedge.synth.StrategyMix;

/**
 * Trains DAF on defect-free images: each step takes a batch of good images, gives each a synthetic defect (the
 * student's input) and pulls the student towards the teacher's features of the unaltered image outside the defect,
 * while the decoder and boost heads learn to draw the defect's mask. The teacher only ever sees the good images, so
 * its features are computed once per image before the first step and reused for every epoch.
 *
 * <p>The budget is either a number of epochs or wall-clock time (counted from the start of {@link #train}, so the
 * feature cache is inside it); the learning-rate {@link Schedule} runs on the fraction of the budget used.
 */
public final class DafTrainer {
    /**
     * How to prune while training: by the rule or the search mapper to {@code sparsity}, or as a scheme file says
     * ({@code scheme}, the manifest's form).
     */
    public record Pruning(Mapper mapper, double sparsity, JsonNode scheme) {
        public enum Mapper { RULE, SEARCH, FILE }

        public Pruning {
            if (mapper == Mapper.FILE ? scheme == null : !(sparsity > 0 && sparsity < 1)) {
                throw new IllegalArgumentException(mapper == Mapper.FILE ? "a scheme file's content is needed"
                        : "sparsity must be in (0, 1), got " + sparsity);
            }
        }
    }

    /** What a run is asked to do. Exactly one of {@code minutes} and {@code epochs} is set; {@code pruning} null: none. */
    public record Settings(Double minutes, Integer epochs, int batch, int crop, Schedule schedule, float weightDecay,
                           String strategy, StrategyMix mix, Normalisation normalisation, long seed, int threads,
                           Pruning pruning) {
        public Settings {
            if (crop != 0 && (crop < MIN_SIDE || crop % 16 != 0)) {
                throw new IllegalArgumentException("crop must be 0 (whole image) or a multiple of 16 of at least "
                        + MIN_SIDE);
            }
            if ((minutes == null) == (epochs == null)) {
                throw new IllegalArgumentException("give either a time budget or a number of epochs");
            }
            if (minutes != null && !(minutes > 0) || epochs != null && epochs < 1 || batch < 2) {
                throw new IllegalArgumentException("budget must be positive and the batch at least 2 (batch norm)");
            }
        }

        /**
         * A time-budgeted run on whole images with the defaults the {@code train} command starts from (the
         * appliance's on-site training uses these).
         */
        public static Settings timed(double minutes, String strategy, StrategyMix mix, long seed, int threads) {
            return new Settings(minutes, null, DEFAULT_BATCH, 0, Schedule.reference(DEFAULT_LEARNING_RATE),
                    WEIGHT_DECAY, strategy, mix, Normalisation.MIN_MAX, seed, threads, null);
        }
    }

    /** One report of a running training. {@code losses}: level 1..3, segmentation, boost, total (means since last). */
    public record Progress(int epoch, double epochsPlanned, long step, long samples, double fraction, float[] losses,
                           double samplesPerSecond, double etaSeconds, float learningRate) {
    }

    /** Where a run reports; the CLI draws a progress bar, the appliance will show it in the UI. */
    public interface Listener {
        void log(String message);

        void progress(Progress progress);

        /**
         * Asked before each cached image and each step: true ends the run with a {@link CancellationException}
         * (the bundle is not written).
         */
        default boolean cancelled() {
            return false;
        }
    }

    public static final int DEFAULT_BATCH = 8;
    /** The peak AdamW learning rate; the reference's 2e-4 is for 1200 epochs. */
    public static final float DEFAULT_LEARNING_RATE = 1e-3f;
    public static final float WEIGHT_DECAY = 1e-5f;

    /** The smallest input or crop side. */
    public static final int MIN_SIDE = DafNetwork.MIN_SIDE;
    private static final int MAX_LOGGED_SKIPS = 10;
    private static final int MAX_CONSECUTIVE_SKIPS = 50;
    private static final NDIndex ALL = new NDIndex("...");
    private static final long REPORT_NANOS = Duration.ofSeconds(2).toNanos();

    private final Settings settings;
    private final Listener listener;

    public DafTrainer(Settings settings, Listener listener) {
        this.settings = settings;
        this.listener = listener;
    }

    /** The good images of one category, resized to the input size, with their cached teacher features. */
    private record Cache(List<Image> images, List<FeatureMap[]> features, List<String> skipped) {
        /** Images kept with one channel: their synthetic defects are grey. */
        long greys() {
            return images.stream().filter(i -> i.channels == 1).count();
        }

    }

    public ModelBundle train(Path teacherFile, Preprocessing pre, List<Path> files, Path out)
            throws ModelException, IOException {
        long start = System.nanoTime();
        try (OnnxTeacher teacher = OnnxTeacher.open(teacherFile, settings.threads());
             NDManager manager = Djl.newManager()) {
            if (settings.crop() > pre.size() || pre.size() < MIN_SIDE) {
                throw new IllegalArgumentException("input size " + pre.size() + " must be at least " + MIN_SIDE
                        + " and at least the crop " + settings.crop());
            }
            Cache cache = cache(teacher, pre, files);
            if (cache.images().size() < settings.batch()) {
                throw new ModelException("only " + cache.images().size() + " readable training images; a batch needs "
                        + settings.batch());
            }
            double featureSeconds = (System.nanoTime() - start) / 1e9;
            DafNetwork network = DafNetwork.create(teacherFile, settings.normalisation(), settings.seed(), manager);
            listener.log(String.format("DAF network: teacher channels %s, %,d parameters, DAF layers %.0f M MAC at %d px",
                    Arrays.toString(network.channels()), network.parameterCount(),
                    network.headMacs(pre.size(), pre.size()) / 1e6, pre.size()));
            ObjectNode summary = loop(network, teacher, cache, pre, start);
            summary.put("images", cache.images().size());
            summary.put("skipped", cache.skipped().size());
            summary.put("grey_images", cache.greys());
            var reasons = summary.putArray("skipped_files");
            cache.skipped().forEach(reasons::add);
            summary.put("seconds_features", Math.round(featureSeconds * 10) / 10.0);
            return DafBundle.write(network, teacher, pre, summary, settings.schedule().toJson(), out);
        }
    }

    private boolean cropping(Preprocessing pre) {
        return settings.crop() != 0 && settings.crop() < pre.size();
    }

    /** Cropped training runs the teacher on each crop instead (so both networks see the same context). */
    private Cache cache(OnnxTeacher teacher, Preprocessing pre, List<Path> files) {
        List<Image> images = new ArrayList<>();
        List<FeatureMap[]> features = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Path file : files) {
            checkCancelled();
            try {
                Image image = pre.resized(ImageFiles.read(file));
                boolean grey = colourless(image);
                images.add(grey ? image.toChannels(1) : image);
                if (!cropping(pre)) {
                    features.add(teacher.extract(pre.tensor(image), pre.size()));
                }
            } catch (ImageReadException e) {
                skipped.add(e.getMessage());
                listener.log("skipped " + e.getMessage());
            }
        }
        Cache cache = new Cache(images, features, skipped);
        listener.log(String.format(cropping(pre) ? "read %d good images (%d skipped, %d grey)"
                : "cached the teacher's features of %d good images (%d skipped, %d grey)", images.size(),
                skipped.size(), cache.greys()));
        return cache;
    }

    private ObjectNode loop(DafNetwork network, OnnxTeacher teacher, Cache cache, Preprocessing pre, long start)
            throws ModelException {
        int n = cache.images().size();
        int batch = settings.batch();
        long stepsPerEpoch = n / batch;
        long totalSteps = settings.epochs() == null ? -1 : stepsPerEpoch * settings.epochs();
        long deadline = settings.minutes() == null ? -1 : start + (long) (settings.minutes() * 60e9);
        long trainStart = System.nanoTime();
        double[] fraction = {0};
        Tracker lr = update -> settings.schedule().at(fraction[0]);
        Optimizer optimizer = Optimizer.adamW().optLearningRateTracker(lr).optWeightDecays(settings.weightDecay())
                .setRescaleGrad(1f).build();
        Map<String, Parameter> parameters = network.parameters();
        // the boost heads only serve training: pruning them would cost accuracy and save no inference time
        GradualPruning pruning = settings.pruning() == null ? null : switch (settings.pruning().mapper()) {
            case RULE -> GradualPruning.rule(parameters, name -> !name.startsWith("boost"),
                    settings.pruning().sparsity());
            case SEARCH -> GradualPruning.search(network.pruneCandidates(pre.size()), settings.pruning().sparsity(),
                    new KernelTimer());
            case FILE -> GradualPruning.fromScheme(settings.pruning().scheme(), parameters);
        };
        DafLoss loss = new DafLoss(settings.normalisation());
        AnomalySynthesizer synthesizer = new AnomalySynthesizer(settings.mix());
        SplittableRandom order = new SplittableRandom(settings.seed() ^ 0x5DEECE66DL);
        int[] permutation = new int[n];
        float[] sums = new float[6];
        int summed = 0;
        long lastReport = trainStart;
        long step = 0;
        int epoch = 0;
        int skippedSteps = 0;
        int consecutive = 0;
        while (true) {
            fraction[0] = totalSteps > 0 ? (double) step / totalSteps
                    : (double) (System.nanoTime() - trainStart) / (deadline - trainStart);
            if (fraction[0] >= 1) {
                break;
            }
            checkCancelled();
            int inEpoch = (int) (step % stepsPerEpoch);
            if (inEpoch == 0) {
                epoch++;
                shuffle(permutation, order);
            }
            Batch b = batch(teacher, synthesizer, cache, pre, permutation, inEpoch * batch, step * batch);
            StepResult result = step(network, optimizer, parameters, loss, b);
            if (result.problem() != null) {
                skippedSteps++;
                consecutive++;
                if (skippedSteps <= MAX_LOGGED_SKIPS) {
                    listener.log("step " + (step + 1) + " skipped: non-finite " + result.problem());
                }
                if (consecutive >= MAX_CONSECUTIVE_SKIPS) {
                    throw new ModelException("training diverged: " + consecutive + " steps in a row had a non-finite "
                            + "loss or gradient (last: " + result.problem() + "); try a lower --lr");
                }
            } else {
                consecutive = 0;
                if (pruning != null) {
                    pruning.afterUpdate(parameters, fraction[0]);
                }
                float[] terms = result.terms();
                for (int i = 0; i < terms.length; i++) {
                    sums[i] += terms[i];
                }
                summed++;
            }
            step++;
            long now = System.nanoTime();
            if (now - lastReport >= REPORT_NANOS || totalSteps > 0 && step == totalSteps) {
                double seconds = (now - trainStart) / 1e9;
                double done = totalSteps > 0 ? (double) step / totalSteps : (double) (now - trainStart) / (deadline - trainStart);
                double eta = totalSteps > 0 ? seconds / step * (totalSteps - step) : Math.max(0, (deadline - now) / 1e9);
                float[] means = new float[sums.length];
                for (int i = 0; i < sums.length; i++) {
                    means[i] = summed == 0 ? Float.NaN : sums[i] / summed;
                }
                double planned = totalSteps > 0 ? settings.epochs() : step / (double) stepsPerEpoch / Math.max(done, 1e-9);
                listener.progress(new Progress(epoch, planned, step, step * batch, done, means,
                        step * batch / seconds, eta, settings.schedule().at(fraction[0])));
                Arrays.fill(sums, 0);
                summed = 0;
                lastReport = now;
            }
        }
        ObjectNode summary = ModelBundle.JSON.createObjectNode();
        summary.put("strategy", settings.strategy());
        summary.put("seed", settings.seed());
        summary.put("batch", batch);
        summary.put("crop", cropping(pre) ? settings.crop() : pre.size());
        summary.put("weight_decay", settings.weightDecay());
        if (settings.minutes() != null) {
            summary.put("budget_minutes", settings.minutes());
        } else {
            summary.put("budget_epochs", settings.epochs());
        }
        summary.put("steps", step);
        summary.put("skipped_steps", skippedSteps);
        summary.put("samples", step * batch);
        summary.put("epochs", Math.round(step * 100.0 / stepsPerEpoch) / 100.0);
        summary.put("seconds_training", Math.round((System.nanoTime() - trainStart) / 1e8) / 10.0);
        summary.put("threads", settings.threads());
        if (pruning != null) {
            summary.set("pruning", pruning.toJson(parameters));
        }
        return summary;
    }

    /** A batch as the networks take it: student inputs, masks, and the teacher's features, all of side {@code side}. */
    private record Batch(int side, float[] images, float[] masks, List<FeatureMap[]> teacher) {
    }

    /**
     * Gives each image of the batch a synthetic defect. With a crop, the defect is made on the whole image (so its
     * size relative to the part stays as at inference) and the crop is centred on one of its pixels, clamped to the
     * image, so every sample still carries a defect as in the reference.
     */
    private Batch batch(OnnxTeacher teacher, AnomalySynthesizer synthesizer, Cache cache, Preprocessing pre,
                        int[] permutation, int first, long sampleIndex) {
        int n = settings.batch();
        int side = cropping(pre) ? settings.crop() : pre.size();
        int plane = side * side;
        float[] images = new float[n * 3 * plane];
        float[] masks = new float[n * plane];
        List<FeatureMap[]> features = new ArrayList<>(n);
        for (int b = 0; b < n; b++) {
            int index = permutation[first + b];
            long seed = AnomalySynthesizer.sampleSeed(settings.seed(), sampleIndex + b);
            Image good = cache.images().get(index);
            Sample sample = synthesizer.synthesize(good, seed);
            Image input = sample.image().toChannels(3);
            Mask mask = sample.mask();
            if (side < pre.size()) {
                int[] at = cropAround(mask, side, new SplittableRandom(seed));
                input = input.crop(at[0], at[1], side, side);
                mask = crop(mask, at[0], at[1], side);
                features.add(teacher.extract(pre.normalise(good.crop(at[0], at[1], side, side).toChannels(3)), side));
            } else {
                features.add(cache.features().get(index));
            }
            System.arraycopy(pre.normalise(input), 0, images, b * 3 * plane, 3 * plane);
            for (int i = 0; i < plane; i++) {
                masks[b * plane + i] = mask.get(i) ? 1f : 0f;
            }
        }
        return new Batch(side, images, masks, features);
    }

    /**
     * Whether an RGB image carries no colour (a grey camera's frame). Its synthetic defects are then made in grey:
     * colour textures on a grey part would teach the decoder to look for colour, which no real defect there has.
     */
    static boolean colourless(Image rgb) {
        for (int i = 0; i < rgb.data.length; i += 3) {
            if (rgb.data[i] != rgb.data[i + 1] || rgb.data[i] != rgb.data[i + 2]) {
                return false;
            }
        }
        return true;
    }

    /** Top-left corner of a {@code side} crop centred on a random defect pixel, inside the image. */
    static int[] cropAround(Mask mask, int side, SplittableRandom random) {
        int area = mask.area();
        int pick = area == 0 ? -1 : random.nextInt(area);
        int cx = mask.width / 2;
        int cy = mask.height / 2;
        for (int i = 0, seen = 0; i < mask.data.length && pick >= 0; i++) {
            if (mask.get(i) && seen++ == pick) {
                cx = i % mask.width;
                cy = i / mask.width;
                break;
            }
        }
        int x = Math.max(0, Math.min(mask.width - side, cx - side / 2));
        int y = Math.max(0, Math.min(mask.height - side, cy - side / 2));
        return new int[] {x, y};
    }

    private static Mask crop(Mask mask, int x0, int y0, int side) {
        Mask out = new Mask(side, side);
        for (int y = 0; y < side; y++) {
            System.arraycopy(mask.data, (y0 + y) * mask.width + x0, out.data, y * side, side);
        }
        return out;
    }

    /** The six loss terms of a step, and why its update was skipped (null when it was not). */
    private record StepResult(float[] terms, String problem) {
    }

    /**
     * One optimisation step. A step whose loss or any gradient is not finite changes no weight (one such update
     * would turn every weight into NaN through AdamW's moments) and reports why.
     */
    private StepResult step(DafNetwork network, Optimizer optimizer, Map<String, Parameter> parameters, DafLoss loss,
                         Batch batch) {
        int n = settings.batch();
        int side = batch.side();
        try (NDManager m = Djl.engine().newBaseManager()) {
            NDArray x = m.create(batch.images(), new Shape(n, 3, side, side));
            NDArray mask = m.create(batch.masks(), new Shape(n, 1, side, side));
            List<NDArray> t = new ArrayList<>(3);
            FeatureMap[] shapes = batch.teacher().get(0);
            for (int l = 0; l < shapes.length; l++) {
                FeatureMap f = shapes[l];
                int length = f.data().length;
                float[] level = new float[n * length];
                for (int b = 0; b < n; b++) {
                    System.arraycopy(batch.teacher().get(b)[l].data(), 0, level, b * length, length);
                }
                t.add(m.create(level, new Shape(n, f.channels(), f.height(), f.width())));
            }
            float[] terms = new float[6];
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                DafNetwork.Output out = network.forward(x, t, true);
                DafLoss.Terms l = loss.compute(out.student(), t, out.segmentation(), out.boosts(), mask);
                gc.backward(l.total());
                for (int i = 0; i < 3; i++) {
                    terms[i] = l.levels().get(i).getFloat();
                }
                terms[3] = l.segmentation().getFloat();
                terms[4] = l.boost().getFloat();
                terms[5] = l.total().getFloat();
            }
            String problem = Float.isFinite(terms[5]) ? null : "loss " + Arrays.toString(terms);
            if (problem == null) {
                problem = nonFiniteGradient(parameters, m);
            }
            for (Map.Entry<String, Parameter> p : parameters.entrySet()) {
                NDArray w = p.getValue().getArray();
                if (p.getValue().requiresGradient()) {
                    try (NDArray gradient = w.getGradient()) {
                        if (problem == null) {
                            optimizer.update(p.getKey(), w, gradient);
                        }
                        clear(gradient);
                    }
                }
            }
            return new StepResult(terms, problem);
        }
    }

    /**
     * The first parameter whose gradient holds a NaN or an infinity, or null. The per-parameter flags are stacked
     * and read from the engine once per step, not once per parameter.
     */
    static String nonFiniteGradient(Map<String, Parameter> parameters, NDManager m) {
        List<String> names = new ArrayList<>();
        NDList flags = new NDList();
        for (Map.Entry<String, Parameter> p : parameters.entrySet()) {
            if (p.getValue().requiresGradient()) {
                // attached to the step's manager, so the checks' intermediates are freed with the step
                NDArray gradient = p.getValue().getArray().getGradient();
                gradient.attach(m);
                names.add(p.getKey());
                flags.add(gradient.isNaN().logicalOr(gradient.isInfinite()).any());
            }
        }
        if (flags.isEmpty()) {
            return null;
        }
        boolean[] bad = NDArrays.stack(flags).toBooleanArray();
        for (int i = 0; i < bad.length; i++) {
            if (bad[i]) {
                return "gradient of " + names.get(i);
            }
        }
        return null;
    }

    /**
     * Zeroes a gradient in place: PyTorch accumulates gradients and DJL's collector does not reset them. Assigned,
     * not subtracted from itself, since a non-finite gradient minus itself stays NaN and would poison every later step.
     */
    static void clear(NDArray gradient) {
        gradient.set(ALL, 0f);
    }

    private void checkCancelled() {
        if (listener.cancelled()) {
            throw new CancellationException("training cancelled");
        }
    }

    private static void shuffle(int[] permutation, SplittableRandom random) {
        for (int i = 0; i < permutation.length; i++) {
            permutation[i] = i;
        }
        for (int i = permutation.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = permutation[i];
            permutation[i] = permutation[j];
            permutation[j] = t;
        }
    }
}
