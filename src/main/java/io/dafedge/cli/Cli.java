package io.dafedge.cli;

import java.nio.file.Path;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Option handling shared by the model commands. */
final class Cli {
    private Cli() {
    }

    static int threads(Integer requested) {
        return requested != null ? Math.max(1, requested) : Runtime.getRuntime().availableProcessors();
    }

    static Path requireTeacher(CommandSpec spec, Path teacher) {
        if (teacher == null) {
            throw new ParameterException(spec.commandLine(),
                    "no teacher: pass --teacher FILE.onnx or set DAF_TEACHER (see README, 'Teacher backbone')");
        }
        return teacher;
    }
}
