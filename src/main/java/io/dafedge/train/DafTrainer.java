package io.dafedge.train;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
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
    /** What a run is asked to do. Exactly one of {@code minutes} and {@code epochs} is set. */
    public record Settings(Double minutes, Integer epochs, int batch, Schedule schedule, float weightDecay,
                           String strategy, StrategyMix mix, Normalisation normalisation, long seed, int threads) {
        public Settings {
            if ((minutes == null) == (epochs == null)) {
                throw new IllegalArgumentException("give either a time budget or a number of epochs");
            }
            if (minutes != null && !(minutes > 0) || epochs != null && epochs < 1 || batch < 2) {
                throw new IllegalArgumentException("budget must be positive and the batch at least 2 (batch norm)");
            }
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
    }

    private static final long REPORT_NANOS = Duration.ofSeconds(2).toNanos();

    private final Settings settings;
    private final Listener listener;

    public DafTrainer(Settings settings, Listener listener) {
        this.settings = settings;
        this.listener = listener;
    }

    /** The good images of one category, resized to the input size, with their cached teacher features. */
    private record Cache(List<Image> images, List<FeatureMap[]> features, List<String> skipped) {
    }

    public ModelBundle train(Path teacherFile, Preprocessing pre, List<Path> files, Path out)
            throws ModelException, IOException {
        long start = System.nanoTime();
        try (OnnxTeacher teacher = OnnxTeacher.open(teacherFile, settings.threads());
             NDManager manager = Djl.newManager()) {
            Cache cache = cache(teacher, pre, files);
            if (cache.images().size() < settings.batch()) {
                throw new ModelException("only " + cache.images().size() + " readable training images; a batch needs "
                        + settings.batch());
            }
            double featureSeconds = (System.nanoTime() - start) / 1e9;
            DafNetwork network = DafNetwork.create(teacherFile, settings.normalisation(), settings.seed(), manager);
            listener.log(String.format("DAF network: teacher channels %s, %,d parameters, DAF layers %.0f M MAC at %d px",
                    java.util.Arrays.toString(network.channels()), network.parameterCount(),
                    network.headMacs(pre.size(), pre.size()) / 1e6, pre.size()));
            ObjectNode summary = loop(network, cache, pre, start);
            summary.put("images", cache.images().size());
            summary.put("skipped", cache.skipped().size());
            var reasons = summary.putArray("skipped_files");
            cache.skipped().forEach(reasons::add);
            summary.put("seconds_features", Math.round(featureSeconds * 10) / 10.0);
            return DafBundle.write(network, teacher, pre, summary, settings.schedule().toJson(), out);
        }
    }

    private Cache cache(OnnxTeacher teacher, Preprocessing pre, List<Path> files) {
        List<Image> images = new ArrayList<>();
        List<FeatureMap[]> features = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Path file : files) {
            try {
                Image image = pre.resized(ImageFiles.read(file));
                images.add(image);
                features.add(teacher.extract(pre.tensor(image), pre.size()));
            } catch (ImageReadException e) {
                skipped.add(e.getMessage());
                listener.log("skipped " + e.getMessage());
            }
        }
        listener.log(String.format("cached the teacher's features of %d good images (%d skipped)", images.size(),
                skipped.size()));
        return new Cache(images, features, skipped);
    }

    private ObjectNode loop(DafNetwork network, Cache cache, Preprocessing pre, long start) {
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
        DafLoss loss = new DafLoss(settings.normalisation());
        AnomalySynthesizer synthesizer = new AnomalySynthesizer(settings.mix());
        SplittableRandom order = new SplittableRandom(settings.seed() ^ 0x5DEECE66DL);
        int[] permutation = new int[n];
        float[] sums = new float[6];
        int summed = 0;
        long lastReport = trainStart;
        long step = 0;
        int epoch = 0;
        while (true) {
            fraction[0] = totalSteps > 0 ? (double) step / totalSteps
                    : (double) (System.nanoTime() - trainStart) / (deadline - trainStart);
            if (fraction[0] >= 1) {
                break;
            }
            int inEpoch = (int) (step % stepsPerEpoch);
            if (inEpoch == 0) {
                epoch++;
                shuffle(permutation, order);
            }
            float[] terms = step(network, optimizer, parameters, loss, synthesizer, cache, pre,
                    permutation, inEpoch * batch, step * batch);
            for (int i = 0; i < terms.length; i++) {
                sums[i] += terms[i];
            }
            summed++;
            step++;
            long now = System.nanoTime();
            if (now - lastReport >= REPORT_NANOS || totalSteps > 0 && step == totalSteps) {
                double seconds = (now - trainStart) / 1e9;
                double done = totalSteps > 0 ? (double) step / totalSteps : (double) (now - trainStart) / (deadline - trainStart);
                double eta = totalSteps > 0 ? seconds / step * (totalSteps - step) : Math.max(0, (deadline - now) / 1e9);
                float[] means = new float[sums.length];
                for (int i = 0; i < sums.length; i++) {
                    means[i] = sums[i] / summed;
                }
                double planned = totalSteps > 0 ? settings.epochs() : step / (double) stepsPerEpoch / Math.max(done, 1e-9);
                listener.progress(new Progress(epoch, planned, step, step * batch, done, means,
                        step * batch / seconds, eta, settings.schedule().at(fraction[0])));
                java.util.Arrays.fill(sums, 0);
                summed = 0;
                lastReport = now;
            }
        }
        ObjectNode summary = ModelBundle.JSON.createObjectNode();
        summary.put("strategy", settings.strategy());
        summary.put("seed", settings.seed());
        summary.put("batch", batch);
        summary.put("weight_decay", settings.weightDecay());
        if (settings.minutes() != null) {
            summary.put("budget_minutes", settings.minutes());
        } else {
            summary.put("budget_epochs", settings.epochs());
        }
        summary.put("steps", step);
        summary.put("samples", step * batch);
        summary.put("epochs", Math.round(step * 100.0 / stepsPerEpoch) / 100.0);
        summary.put("seconds_training", Math.round((System.nanoTime() - trainStart) / 1e8) / 10.0);
        summary.put("threads", settings.threads());
        return summary;
    }

    /** One optimisation step; returns the six loss terms. */
    private float[] step(DafNetwork network, Optimizer optimizer, Map<String, Parameter> parameters, DafLoss loss,
                         AnomalySynthesizer synthesizer, Cache cache, Preprocessing pre, int[] permutation, int first,
                         long sampleIndex) {
        int batch = settings.batch();
        int size = pre.size();
        int plane = size * size;
        float[] images = new float[batch * 3 * plane];
        float[] masks = new float[batch * plane];
        List<float[]> teacher = new ArrayList<>(3);
        FeatureMap[] shapes = cache.features().get(0);
        for (FeatureMap f : shapes) {
            teacher.add(new float[batch * f.data().length]);
        }
        for (int b = 0; b < batch; b++) {
            int index = permutation[first + b];
            Sample sample = synthesizer.synthesize(cache.images().get(index),
                    AnomalySynthesizer.sampleSeed(settings.seed(), sampleIndex + b));
            System.arraycopy(pre.tensor(sample.image()), 0, images, b * 3 * plane, 3 * plane);
            Mask mask = sample.mask();
            for (int i = 0; i < plane; i++) {
                masks[b * plane + i] = mask.get(i) ? 1f : 0f;
            }
            FeatureMap[] f = cache.features().get(index);
            for (int l = 0; l < f.length; l++) {
                System.arraycopy(f[l].data(), 0, teacher.get(l), b * f[l].data().length, f[l].data().length);
            }
        }
        try (NDManager m = Djl.engine().newBaseManager()) {
            NDArray x = m.create(images, new Shape(batch, 3, size, size));
            NDArray mask = m.create(masks, new Shape(batch, 1, size, size));
            List<NDArray> t = new ArrayList<>(3);
            for (int l = 0; l < shapes.length; l++) {
                FeatureMap f = shapes[l];
                t.add(m.create(teacher.get(l), new Shape(batch, f.channels(), f.height(), f.width())));
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
            for (Map.Entry<String, Parameter> p : parameters.entrySet()) {
                NDArray w = p.getValue().getArray();
                if (p.getValue().requiresGradient()) {
                    // PyTorch accumulates gradients and DJL's collector does not reset them: zero after use
                    try (NDArray gradient = w.getGradient()) {
                        optimizer.update(p.getKey(), w, gradient);
                        gradient.subi(gradient);
                    }
                }
            }
            return terms;
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
