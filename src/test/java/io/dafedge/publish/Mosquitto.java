package io.dafedge.publish;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.dafedge.api.LineWithModel;
import io.dafedge.api.MosquittoSub;
import io.dafedge.api.Subprocesses;

/** A real mosquitto on a free loopback port, with listener settings of the test's choosing and its log in a file. */
final class Mosquitto implements AutoCloseable {
    private final Process process;
    private final int port;

    private Mosquitto(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** A Debian tool (mosquitto, mosquitto_sub, mosquitto_passwd); skips with DAF_SKIP_EXTERNAL=1 when missing. */
    static String tool(String name) {
        Optional<Path> p = Subprocesses.find(name);
        if (p.isEmpty()) {
            assumeTrue(!"1".equals(System.getenv("DAF_SKIP_EXTERNAL")), name + " missing and DAF_SKIP_EXTERNAL=1");
            throw new IllegalStateException("the broker tests need " + name
                    + ": apt-get install mosquitto mosquitto-clients (as .ci/run does)");
        }
        return p.get().toString();
    }

    /** Starts mosquitto with one listener whose settings (cafile, require_certificate, ...) are {@code listener}. */
    static Mosquitto start(Path dir, List<String> listener) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        int port = FreePort.find();
        List<String> conf = new ArrayList<>(List.of(
                // mosquitto started as root drops to user "mosquitto", which may not read the test's key files
                "user " + System.getProperty("user.name"), "persistence false", "log_dest stderr",
                "listener " + port + " 127.0.0.1"));
        conf.addAll(listener);
        Path file = dir.resolve("mosquitto-" + port + ".conf");
        Files.writeString(file, String.join("\n", conf) + "\n");
        Path log = dir.resolve("mosquitto-" + port + ".log");
        Process p = Subprocesses.start(log, List.of(tool("mosquitto"), "-c", file.toString()));
        Mosquitto m = new Mosquitto(p, port);
        try {
            LineWithModel.awaitListening(p, port, log);
        } catch (IOException | InterruptedException e) {
            m.close();
            throw e;
        }
        return m;
    }

    int port() {
        return port;
    }

    /**
     * The payload retained on {@code topic}, read by mosquitto_sub (no code shared with the appliance) with its own
     * connection options, or "" when nothing comes within 10 s.
     */
    String retained(String topic, List<String> options) throws IOException, InterruptedException {
        return retained(port, topic, options);
    }

    static String retained(int port, String topic, List<String> options) throws IOException, InterruptedException {
        return MosquittoSub.retained(tool("mosquitto_sub"), port, topic, options);
    }

    @Override
    public void close() {
        Subprocesses.stop(process);
    }
}
