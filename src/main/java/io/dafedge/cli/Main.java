package io.dafedge.cli;

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
}
