package io.dafedge.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.dafedge.synth.demo.DemoDatasetWriter;
import io.dafedge.synth.demo.DemoProduct;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "demo-line", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Writes a procedural demo product as a dataset in MVTec AD layout: train/good (N images), "
                + "test/good (N/4), test/<defect> and ground_truth/<defect>/<stem>_mask.png (N/8 per defect: "
                + "scratch, dent, stain, crack).")
public final class DemoLineCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "New or empty output folder.")
    Path out;

    @Option(names = "--count", paramLabel = "N", defaultValue = "64", description = "Training images (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Dataset seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--product", paramLabel = "NAME", defaultValue = "flange",
            description = "brushed-metal, wood or flange (default: ${DEFAULT-VALUE}).")
    String product;

    @Option(names = "--size", paramLabel = "PX", defaultValue = "256", description = "Side of the square images (default: ${DEFAULT-VALUE}).")
    int size;

    @Override
    public Integer call() throws IOException {
        DemoDatasetWriter.Summary summary;
        try {
            summary = DemoDatasetWriter.write(out, DemoProduct.fromCliName(product), count, seed, size);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter o = spec.commandLine().getOut();
        o.printf("wrote demo line '%s' to %s: %d files%n", product, out, summary.totalFiles());
        summary.filesPerFolder().forEach((folder, n) -> o.printf("  %-24s %d%n", folder, n));
        return CliExit.OK;
    }
}
