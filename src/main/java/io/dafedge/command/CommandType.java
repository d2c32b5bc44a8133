package io.dafedge.command;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The commands an MES may send, by their name on the wire. */
public enum CommandType {
    SET_PART_ID("set-part-id"),
    REINSPECT("reinspect"),
    SWITCH_MODEL("switch-model"),
    SET_THRESHOLD("set-threshold");

    private final String wire;

    CommandType(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<CommandType> of(String wire) {
        return Arrays.stream(values()).filter(t -> t.wire.equals(wire)).findFirst();
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(CommandType::wire).toList();
    }
}
