package io.dafedge.publish;

/**
 * The appliance's MQTT topics, {@code daf-edge/<site>/...}. Names are taken as configured, except that MQTT's
 * wildcards and separators are refused: a camera named "a/b" would otherwise publish under another camera's path.
 */
public record Topics(String site) {
    public static final String ROOT = "daf-edge";

    public Topics {
        site = checked("site", site);
    }

    public String result(String line, String camera) {
        return camera(line, camera) + "/result";
    }

    public String heatmap(String line, String camera) {
        return camera(line, camera) + "/heatmap";
    }

    public String status() {
        return ROOT + "/" + site + "/status";
    }

    /** The filter an MES's commands arrive on: {@code daf-edge/<site>/<line>/cmd} for every line. */
    public String commands() {
        return ROOT + "/" + site + "/+/cmd";
    }

    public String commandAck(String line) {
        return ROOT + "/" + site + "/" + checked("line", line) + "/cmd/ack";
    }

    /** The line a command topic names, or null when the topic is no command topic of this site. */
    public String commandLine(String topic) {
        String prefix = ROOT + "/" + site + "/";
        if (!topic.startsWith(prefix) || !topic.endsWith("/cmd")) {
            return null;
        }
        String line = topic.substring(prefix.length(), topic.length() - "/cmd".length());
        return line.isEmpty() || line.contains("/") ? null : line;
    }

    private String camera(String line, String camera) {
        return ROOT + "/" + site + "/" + checked("line", line) + "/" + checked("camera", camera);
    }

    /** Refuses names that would change the topic's structure. */
    public static String checked(String what, String name) {
        if (name == null || name.isEmpty() || name.chars().anyMatch(c -> c == '/' || c == '+' || c == '#' || c == 0)) {
            throw new IllegalArgumentException(what + " name '" + name + "' cannot be part of an MQTT topic: "
                    + "it must be non-empty without '/', '+', '#'");
        }
        return name;
    }
}
