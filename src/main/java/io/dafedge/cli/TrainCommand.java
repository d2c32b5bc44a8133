package io.dafedge.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import io.dafedge.model.ModelBundle;
import io.dafedge.model.OnnxTeacher;
import io.dafedge.model.Preprocessing;
import io.dafedge.model.baseline.Padim;
import io.dafedge.model.baseline.PatchCore;
import io.dafedge.train.MvtecCategory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "train", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Fits a model on CATEGORY_DIR/train/good (never on test/) and writes a model bundle.%n"
                + "Methods: patchcore, padim (training-free yardsticks, seconds to a minute).")
public final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "CATEGORY_DIR", description = "Category in MVTec AD layout.")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "BUNDLE_DIR", description = "New model bundle folder.")
    Path out;

    @Option(names = "--method", required = true, paramLabel = "NAME", description = "patchcore or padim.")
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

    enum Method { patchcore, padim }

    @Override
    public Integer call() throws Exception {
        Path teacherFile = Cli.requireTeacher(spec, teacher);
        PrintWriter err = spec.commandLine().getErr();
        List<Path> images = MvtecCategory.trainImages(data);
        Preprocessing pre = Preprocessing.imagenet(size);
        long start = System.nanoTime();
        ModelBundle bundle;
        try (OnnxTeacher t = OnnxTeacher.open(teacherFile, Cli.threads(threads))) {
            bundle = switch (method) {
                case patchcore -> PatchCore.fit(t, pre, images, out, seed, err::println);
                case padim -> Padim.fit(t, pre, images, out, seed, err::println);
            };
        }
        spec.commandLine().getOut().printf("wrote %s bundle %s to %s in %.1f s%n", bundle.method(), bundle.id(), out,
                (System.nanoTime() - start) / 1e9);
        return CliExit.OK;
    }
}
