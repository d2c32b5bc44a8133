package io.dafedge.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The parent of the benchmarks; each mode is a subcommand, so later modes bring their own options. */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Measures the appliance on this machine, in one process without booting it.%n"
                + "Modes: pipeline (frames/s, latency to MQTT, the pipeline's own cost per frame).",
        subcommands = BenchPipelineCommand.class)
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "bench needs a mode: bench pipeline --model BUNDLE_DIR");
    }
}
