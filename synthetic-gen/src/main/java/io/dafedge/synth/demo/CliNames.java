package io.dafedge.synth.demo;

import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Lookup of the demo line's enums by their command-line names. */
final class CliNames {
    private CliNames() {
    }

    /** The value called {@code name}, or an IllegalArgumentException listing the valid names. */
    static <E extends Enum<E>> E lookup(E[] values, Function<E, String> cliName, String name, String what) {
        for (E v : values) {
            if (cliName.apply(v).equals(name)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown " + what + " '" + name + "'; expected one of "
                + Arrays.stream(values).map(cliName).collect(Collectors.joining(", ")));
    }
}
