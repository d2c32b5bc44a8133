package io.dafedge.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dafedge.model.ModelBundle;
import io.dafedge.model.Preprocessing;
import io.dafedge.model.djl.Djl;
import io.dafedge.train.MvtecCategory;
import io.dafedge.train.TeacherPruner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "prune-teacher", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Prunes the teacher backbone by feature distillation against the unpruned teacher on "
                + "CATEGORY_DIR/train/good (the rule mapper's kernel-shaped scheme, gradual magnitude pruning while "
                + "the copy learns the original's three feature maps) and writes it as a new ONNX teacher file "
                + "(with FILE.json beside it: the scheme and the remaining feature error). Train DAF on it with "
                + "'train --teacher FILE'.")
public final class PruneTeacherCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--teacher", paramLabel = "FILE.onnx", defaultValue = "${env:DAF_TEACHER}",
            description = "The teacher to prune (default: $DAF_TEACHER).")
    Path teacher;

    @Option(names = "--data", required = true, paramLabel = "CATEGORY_DIR", description = "Good images: train/good.")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "FILE.onnx", description = "New ONNX file.")
    Path out;

    @Option(names = "--sparsity", paramLabel = "S", defaultValue = "0.5",
            description = "Fraction of each pruned layer's weights removed (default: ${DEFAULT-VALUE}).")
    double sparsity;

    @Option(names = "--epochs", paramLabel = "E", defaultValue = "2",
            description = "Passes over the good images (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--size", paramLabel = "PX", defaultValue = "256",
            description = "Square input side, as DAF will be trained (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--threads", paramLabel = "N", description = "Threads (default: all cores).")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        Path teacherFile = Cli.requireTeacher(spec, teacher);
        if (Files.exists(out)) {
            throw new ParameterException(spec.commandLine(), out + " exists; choose a new file name");
        }
        TeacherPruner.Settings settings;
        try {
            settings = new TeacherPruner.Settings(epochs, 8, sparsity, 0);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        List<Path> images = MvtecCategory.trainImages(data);
        int n = Cli.threads(threads);
        Djl.useThreads(n);
        long start = System.nanoTime();
        ObjectNode summary = TeacherPruner.prune(teacherFile, Preprocessing.imagenet(size), images, out, settings, n,
                line -> {
                    spec.commandLine().getErr().println(line);
                    spec.commandLine().getErr().flush();
                });
        Files.writeString(out.resolveSibling(out.getFileName() + ".json"),
                ModelBundle.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(summary));
        spec.commandLine().getOut().printf(Locale.ROOT, "wrote pruned teacher %s (sparsity %.3f of its pruned layers) "
                + "in %.1f s%n", out, summary.path("sparsity").asDouble(), (System.nanoTime() - start) / 1e9);
        return CliExit.OK;
    }
}
