package io.dafedge.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.dafedge.model.Detector;
import io.dafedge.model.Detectors;
import io.dafedge.model.ModelBundle;
import io.dafedge.train.Evaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "eval", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Scores every image of CATEGORY_DIR/test with a model bundle and writes a report: metrics.json "
                + "(image_auroc, pixel_auroc, pixel_ap, pro), scores.csv, maps/<defect>/<stem>.npy, contact_sheet.png.")
public final class EvalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "BUNDLE_DIR", description = "Model bundle.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "CATEGORY_DIR", description = "Category in MVTec AD layout.")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "REPORT_DIR", description = "New report folder.")
    Path out;

    @Option(names = "--threads", paramLabel = "N", description = "Threads (default: all cores).")
    Integer threads;

    @Option(names = "--quiet", description = "Do not print a line per image.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        ModelBundle bundle = ModelBundle.open(model);
        Evaluation.Result r;
        try (Detector detector = Detectors.load(bundle, Cli.threads(threads))) {
            r = Evaluation.run(detector, bundle, data, out, line -> {
                if (!quiet || line.startsWith("skipping")) {
                    err.println(line);
                }
            });
        }
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "%s on %s: %d images (%d skipped), %.1f ms/image%n", bundle.method(), data, r.images(),
                r.skipped().size(), r.msPerImage());
        o.printf(Locale.ROOT, "image_auroc %s  pixel_auroc %s  pixel_ap %s  pro %s%n", fmt(r.imageAuroc()),
                fmt(r.pixelAuroc()), fmt(r.pixelAp()), fmt(r.pro()));
        r.byDefect().forEach((defect, d) -> o.printf(Locale.ROOT, "  %-14s %4d images  image_auroc %s  pixel_auroc %s%n",
                defect, d.images(), fmt(d.imageAuroc()), fmt(d.pixelAuroc())));
        o.printf("report in %s%n", out);
        return r.skipped().isEmpty() ? CliExit.OK : CliExit.PARTIAL;
    }

    private static String fmt(Double v) {
        return v == null ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }
}
