package io.dafedge.cli;

import java.nio.file.Path;
import java.util.logging.Level;

import org.jboss.logmanager.LogContext;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Option handling and set-up shared by the commands. */
final class Cli {
    private Cli() {
    }

    static int threads(Integer requested) {
        return requested != null ? Math.max(1, requested) : Runtime.getRuntime().availableProcessors();
    }

    /**
     * Logs at INFO, as the appliance does; for the commands that run without Quarkus. Nothing else configures the
     * log manager for them, whose default then enables TRACE for every library: their trace code runs (slowing what
     * a benchmark or a training run does), and Moquette's trace of an outgoing PUBLISH reads its payload buffer, so
     * subscribers receive empty messages.
     */
    static void infoLogging() {
        LogContext.getLogContext().getLogger("").setLevel(Level.INFO);
    }

    static Path requireTeacher(CommandSpec spec, Path teacher) {
        if (teacher == null) {
            throw new ParameterException(spec.commandLine(),
                    "no teacher: pass --teacher FILE.onnx or set DAF_TEACHER (see README, 'Teacher backbone')");
        }
        return teacher;
    }
}
