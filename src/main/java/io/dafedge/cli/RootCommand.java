package io.dafedge.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "daf-edge", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Defect-inspection appliance: DAF anomaly detection at the factory edge.%n"
                + "With no subcommand, runs the appliance (same as 'serve').",
        subcommands = {ServeCommand.class, SynthCommand.class, TrainCommand.class, PruneTeacherCommand.class,
                EvalCommand.class,
                BenchCommand.class, ExportCommand.class})
public final class RootCommand implements Callable<Integer> {
    @Mixin
    ServeCommand.Options serve = new ServeCommand.Options();

    @Override
    public Integer call() {
        return ServeCommand.serve(serve);
    }
}
