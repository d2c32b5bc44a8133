package io.dafedge.model.baseline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dafedge.model.Detector;
import io.dafedge.model.ModelBundle;
import io.dafedge.model.ModelException;
import io.dafedge.model.Npy;
import io.dafedge.model.OnnxTeacher;
import io.dafedge.model.Preprocessing;

/**
 * PaDiM (Defard et al., 2021), training-free: one Gaussian per stride-4 position over a random subset of the
 * concatenated pyramid's channels (see {@link Embedding#padim}); a test position scores its Mahalanobis distance.
 */
public final class Padim {
    public static final String METHOD = "padim";
    /** Channels kept, the paper's choice for ResNet-18. */
    static final int CHANNELS = 100;
    /** Added to the covariance's diagonal, as in the paper. */
    static final double REGULARISATION = 0.01;
    private static final String MEAN = "mean";
    private static final String INVERSE = "inv_covariance";

    private final Embedding embedding;
    private final Gaussians gaussians;
    private final ObjectNode training;

    private Padim(Embedding embedding, Gaussians gaussians, ObjectNode training) {
        this.embedding = embedding;
        this.gaussians = gaussians;
        this.training = training;
    }

    /** Fits on {@code trainImages} (defect-free) and writes the bundle to {@code out}. */
    public static ModelBundle fit(OnnxTeacher teacher, Preprocessing pre, List<Path> trainImages, Path out, long seed,
                                  Consumer<String> log) throws IOException, ModelException {
        return learn(teacher, pre, trainImages, seed, log).write(teacher, pre, out);
    }

    /** The detector of a {@code padim} bundle, running on {@code threads} threads. */
    public static Detector load(ModelBundle bundle, int threads) throws ModelException {
        return Bundles.load(bundle, threads, METHOD, (b, embedding, side) -> {
            int positions = side * side;
            int dim = embedding.dim();
            Npy.Array mean = Bundles.array(b, MEAN, positions, dim);
            Npy.Array inverse = Bundles.array(b, INVERSE, positions, dim, dim);
            return new Gaussians(positions, dim, mean.data(), inverse.data())::distances;
        });
    }

    static Padim learn(OnnxTeacher teacher, Preprocessing pre, List<Path> files, long seed, Consumer<String> log)
            throws ModelException {
        Embedding embedding = Embedding.padim(teacher.channels(), CHANNELS, seed);
        int side = embedding.gridSide(pre.size());
        Gaussians.Accumulator acc = new Gaussians.Accumulator(side * side, embedding.dim());
        try (Parallel par = new Parallel(Runtime.getRuntime().availableProcessors())) {
            long[] accumulating = {0};
            TrainingFeatures.Summary summary = TrainingFeatures.stream(teacher, pre, embedding, files, par, log, e -> {
                long t = System.nanoTime();
                acc.add(e, par);
                accumulating[0] += System.nanoTime() - t;
            });
            long start = System.nanoTime();
            Gaussians gaussians = acc.finish(REGULARISATION, par);
            ObjectNode training = summary.toJson(seed, pre.size());
            training.put("positions", side * side);
            training.put("dim", embedding.dim());
            training.put("seconds_fit", Math.round((System.nanoTime() - start + accumulating[0]) / 1e8) / 10.0);
            return new Padim(embedding, gaussians, training);
        }
    }

    ModelBundle write(OnnxTeacher teacher, Preprocessing pre, Path out) throws IOException {
        ModelBundle.Builder b = Bundles.builder(METHOD, teacher, pre, embedding, training);
        ObjectNode config = (ObjectNode) b.manifest().get("config");
        config.put("patch_score", "Mahalanobis distance to the position's Gaussian");
        config.put("covariance", "unbiased sample covariance + regularisation * I");
        config.put("regularisation", REGULARISATION);
        int p = gaussians.positions();
        int d = gaussians.dim();
        b.array(MEAN, new int[] {p, d}, gaussians.mean());
        b.array(INVERSE, new int[] {p, d, d}, gaussians.inverse());
        return b.writeTo(out);
    }

    /** The training summary that goes into the manifest. */
    ObjectNode trainingJson() {
        return training;
    }

    /** The in-memory model as a detector; takes ownership of {@code teacher}. */
    Detector detector(OnnxTeacher teacher, Preprocessing pre, int threads) {
        return new BaselineDetector(teacher, pre, embedding, gaussians::distances, threads);
    }
}
