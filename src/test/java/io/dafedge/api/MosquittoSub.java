package io.dafedge.api;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.dafedge.api.EndToEnd.Inbox;
import io.dafedge.api.EndToEnd.Message;

/**
 * mosquitto_sub as a subscriber that shares no code with the appliance's Paho publisher: each "topic payload" line
 * it prints goes into an inbox.
 */
public final class MosquittoSub implements AutoCloseable {
    private static final String ROOT = "daf-edge/";
    private final Process process;

    private MosquittoSub(Process process) {
        this.process = process;
    }

    static MosquittoSub start(String binary, int port, String filter, Inbox inbox) throws IOException {
        Process p = new ProcessBuilder(binary, "-h", "127.0.0.1", "-p", Integer.toString(port), "-t", filter,
                "-v", "-q", "1").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Thread reader = new Thread(() -> read(p, inbox), "mosquitto_sub");
        reader.setDaemon(true);
        reader.start();
        return new MosquittoSub(p);
    }

    private static void read(Process p, Inbox inbox) {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                int space = line.indexOf(' ');
                // heat maps are binary PNGs printed raw: their newlines split them into lines that are no message
                if (line.startsWith(ROOT) && space > 0) {
                    inbox.add(new Message(line.substring(0, space),
                            line.substring(space + 1).getBytes(StandardCharsets.UTF_8)));
                }
            }
        } catch (IOException e) {
            if (p.isAlive()) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * The payload of the message retained on {@code topic}, or "" when none is retained within 10 s; {@code options}
     * are mosquitto_sub's connection options (TLS, credentials).
     */
    public static String retained(String binary, int port, String topic, List<String> options)
            throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of(binary, "-h", "127.0.0.1", "-p", Integer.toString(port), "-t", topic,
                "-C", "1", "--retained-only", "-W", "10"));
        c.addAll(options);
        Process p = new ProcessBuilder(c).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor();
        return out;
    }

    @Override
    public void close() {
        Subprocesses.stop(process);
    }
}
