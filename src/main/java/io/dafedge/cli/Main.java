package io.dafedge.cli;

import java.util.List;

import io.dafedge.model.ModelException;
import io.dafedge.train.DatasetException;
import io.quarkus.runtime.annotations.QuarkusMain;
import picocli.CommandLine;

/**
 * The single entry point. Subcommands other than {@code serve} run as plain Java without booting Quarkus, so
 * {@code synth} and friends start fast and never open the appliance's ports.
 */
@QuarkusMain
public final class Main {
    Main() {
    }

    public static void main(String... args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new RootCommand());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionStrategy(parsed -> {
            if (!bootsQuarkus(parsed)) {
                Cli.infoLogging();
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            // expected failures (bad input, missing folders) get one clear line, not a stack trace
            line.getErr().println(line.getColorScheme().errorText("error: " + ex.getMessage()));
            if (ex instanceof RuntimeException) {
                // not an expected failure: the trace is what a bug report needs
                ex.printStackTrace(line.getErr());
            }
            return ex instanceof ModelException || ex instanceof DatasetException ? CliExit.BAD_INPUT : CliExit.FAILED;
        });
        return cl;
    }

    /** The appliance (no subcommand, or {@code serve}) gets its logging from Quarkus' configuration. */
    private static boolean bootsQuarkus(CommandLine.ParseResult parsed) {
        List<CommandLine> chain = parsed.asCommandLineList();
        Object command = chain.get(chain.size() - 1).getCommand();
        return command instanceof RootCommand || command instanceof ServeCommand;
    }
}
