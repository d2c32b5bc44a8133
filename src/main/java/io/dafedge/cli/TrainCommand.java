package io.dafedge.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import io.dafedge.model.ModelBundle;
import io.dafedge.model.OnnxTeacher;
import io.dafedge.model.Preprocessing;
import io.dafedge.model.baseline.Padim;
import io.dafedge.model.baseline.PatchCore;
import io.dafedge.model.daf.Normalisation;
import io.dafedge.model.djl.Djl;
import io.dafedge.synth.FolderTextures;
import io.dafedge.synth.ProceduralTextures;
import io.dafedge.synth.StrategyMix;
import io.dafedge.synth.TextureSource;
import io.dafedge.train.DafTrainer;
import io.dafedge.train.MvtecCategory;
import io.dafedge.train.Schedule;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "train", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Trains a model on CATEGORY_DIR/train/good (never on test/) and writes a model bundle.%n"
                + "Methods: daf (default; --minutes or --epochs), patchcore and padim (training-free yardsticks, "
                + "seconds to a minute).")
public final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "CATEGORY_DIR", description = "Category in MVTec AD layout.")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "BUNDLE_DIR", description = "New model bundle folder.")
    Path out;

    @Option(names = "--method", paramLabel = "NAME", defaultValue = "daf",
            description = "daf, patchcore or padim (default: ${DEFAULT-VALUE}).")
    Method method;

    @Option(names = "--teacher", paramLabel = "FILE.onnx", defaultValue = "${env:DAF_TEACHER}",
            description = "Teacher backbone: ONNX with three 4-D outputs at strides 4, 8, 16 (default: $DAF_TEACHER).")
    Path teacher;

    @Option(names = "--size", paramLabel = "PX", defaultValue = "256", description = "Input side (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", paramLabel = "N", description = "Threads (default: all cores).")
    Integer threads;

    @ArgGroup(exclusive = true)
    Budget budget;

    static final class Budget {
        @Option(names = "--minutes", paramLabel = "M", description = "DAF: wall-clock budget in minutes, feature "
                + "caching included; the schedule adapts to it (default: 30).")
        Double minutes;

        @Option(names = "--epochs", paramLabel = "E", description = "DAF: number of epochs instead of a time budget.")
        Integer epochs;
    }

    @Option(names = "--strategy", paramLabel = "NAME[:W],...", defaultValue = "perlin-texture",
            description = "DAF: synthetic defect strategies and weights (default: ${DEFAULT-VALUE}); see synth --help.")
    String strategy;

    @Option(names = "--textures", paramLabel = "DIR", description = "DAF: texture images for perlin-texture "
            + "(default: the built-in procedural bank).")
    Path textures;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "" + DafTrainer.DEFAULT_BATCH,
            description = "DAF: batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--crop", paramLabel = "PX", defaultValue = "0",
            description = "DAF: train on crops of this side around each synthetic defect, 0 for whole images "
                    + "(default: ${DEFAULT-VALUE}).")
    int crop;

    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "" + DafTrainer.DEFAULT_LEARNING_RATE,
            description = "DAF: peak AdamW learning rate (default: ${DEFAULT-VALUE}; the reference's 2e-4 is for 1200 epochs).")
    float learningRate;

    @Option(names = "--normalisation", paramLabel = "NAME", defaultValue = "MIN_MAX",
            description = "DAF: per-channel scaling before SSIM: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Normalisation normalisation;

    @Option(names = "--prune", paramLabel = "MAPPER", defaultValue = "none",
            description = "DAF: prune while training: none; rule (each pruned layer loses --sparsity, pattern "
                    + "pruning for 3x3 kernels, block-punched for the others, in blocks the compiled kernels skip); "
                    + "search or auto (each layer's rate chosen by timing it on this machine's compiled kernels, "
                    + "as many weights removed in all as rule would); or a scheme file, JSON in the manifest's form "
                    + "(an earlier bundle's manifest.json will do) (default: ${DEFAULT-VALUE}).")
    String prune;

    @Option(names = "--sparsity", paramLabel = "S", defaultValue = "0.75",
            description = "DAF with --prune: fraction of each pruned layer's weights removed (default: ${DEFAULT-VALUE}).")
    double sparsity;

    enum Method { daf, patchcore, padim }

    static final double DEFAULT_MINUTES = 30;

    @Override
    public Integer call() throws Exception {
        Path teacherFile = Cli.requireTeacher(spec, teacher);
        PrintWriter err = spec.commandLine().getErr();
        List<Path> images = MvtecCategory.trainImages(data);
        Preprocessing pre = Preprocessing.imagenet(size);
        int n = Cli.threads(threads);
        long start = System.nanoTime();
        ModelBundle bundle;
        if (method == Method.daf) {
            bundle = trainDaf(teacherFile, pre, images, n, err);
        } else {
            if (budget != null) {
                throw new ParameterException(spec.commandLine(), "--minutes and --epochs are for --method daf");
            }
            try (OnnxTeacher t = OnnxTeacher.open(teacherFile, n)) {
                bundle = method == Method.patchcore ? PatchCore.fit(t, pre, images, out, seed, err::println)
                        : Padim.fit(t, pre, images, out, seed, err::println);
            }
        }
        spec.commandLine().getOut().printf("wrote %s bundle %s to %s in %.1f s%n", bundle.method(), bundle.id(), out,
                (System.nanoTime() - start) / 1e9);
        return CliExit.OK;
    }

    /** What --prune asks for; null for none. */
    private DafTrainer.Pruning pruning() {
        return switch (prune) {
            case "none" -> null;
            case "rule" -> new DafTrainer.Pruning(DafTrainer.Pruning.Mapper.RULE, sparsity, null);
            case "search", "auto" -> new DafTrainer.Pruning(DafTrainer.Pruning.Mapper.SEARCH, sparsity, null);
            default -> new DafTrainer.Pruning(DafTrainer.Pruning.Mapper.FILE, 0, schemeFile(Path.of(prune)));
        };
    }

    private JsonNode schemeFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ParameterException(spec.commandLine(), "--prune takes none, rule, search, auto or a scheme "
                    + "file; '" + prune + "' is none of them");
        }
        try {
            JsonNode json = ModelBundle.JSON.readTree(file.toFile());
            // a whole manifest works too: its training.pruning holds the scheme
            JsonNode fromManifest = json.path("training").path("pruning");
            return fromManifest.isMissingNode() ? json : fromManifest;
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "--prune " + file + ": not readable JSON: "
                    + e.getMessage());
        }
    }

    private ModelBundle trainDaf(Path teacherFile, Preprocessing pre, List<Path> images, int threads, PrintWriter err)
            throws Exception {
        StrategyMix mix;
        try {
            TextureSource source = textures != null ? FolderTextures.load(textures, err::println)
                    : new ProceduralTextures();
            mix = StrategyMix.parse(strategy, source);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Double minutes = budget == null ? Double.valueOf(DEFAULT_MINUTES) : budget.minutes;
        Integer epochs = budget == null ? null : budget.epochs;
        Djl.useThreads(threads);
        DafTrainer.Settings settings;
        try {
            if (size < DafTrainer.MIN_SIDE || crop > size) {
                throw new IllegalArgumentException("--size must be at least " + DafTrainer.MIN_SIDE
                        + " for DAF and --crop at most --size");
            }
            settings = new DafTrainer.Settings(minutes, epochs, batch, crop, Schedule.reference(learningRate), DafTrainer.WEIGHT_DECAY,
                    strategy, mix, normalisation, seed, threads, pruning());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        ProgressBar bar = new ProgressBar(err, System.console() != null);
        try {
            return new DafTrainer(settings, bar).train(teacherFile, pre, images, out);
        } finally {
            bar.finishLine();
        }
    }
}
