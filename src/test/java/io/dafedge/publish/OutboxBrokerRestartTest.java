package io.dafedge.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.dafedge.api.Subprocesses;

/**
 * The test: 1000 results over two cameras, published by the outbox (in a process of its own) through
 * Debian's mosquitto (persistent, so it keeps a persistent session's queued messages across its restarts), while the
 * broker is stopped and started twice and the publishing process is killed (SIGKILL, no clean close) while the
 * broker is away, with a backlog on disk, and started again on the same data folder; the second broker stop is
 * ridden out by the second process's automatic reconnect. An independent persistent-session subscriber must receive
 * every result id at least once, in order per camera once repeats are dropped.
 * <p>
 * What a killed process had only in memory (entries queued for its writer, not yet on disk) is lost with it, as it
 * would be in the appliance; the second process therefore starts at the first result the first did not report
 * durable. It repeats some that did reach the disk: those arrive twice, which subscribers tolerate.
 */
class OutboxBrokerRestartTest {
    private static final int RESULTS = 1000;
    private static final int CAMERAS = 2;
    private static final int PER_SECOND = 120;
    private static final long STEP_SECONDS = 30;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    /** One producing process and what it last reported. */
    private static final class Producer implements AutoCloseable {
        final Process process;
        volatile long written;
        volatile long pending = -1;
        /** What the process found on disk when it started. */
        volatile long firstPending = -1;

        Producer(Process process) {
            this.process = process;
            Thread t = new Thread(this::read, "producer-out");
            t.setDaemon(true);
            t.start();
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    String[] f = line.split(" ");
                    if (f.length == 4 && f[0].equals("written")) {
                        written = Long.parseLong(f[1]);
                        pending = Long.parseLong(f[3]);
                        if (firstPending < 0) {
                            firstPending = pending;
                        }
                    }
                }
            } catch (IOException e) {
                // the process is gone
            }
        }

        void await(String what, LongPredicate written, boolean allDelivered) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(STEP_SECONDS);
            while (!(written.test(this.written) && (!allDelivered || pending == 0))) {
                assertTrue(process.isAlive(), "the producer died while waiting for " + what);
                assertTrue(System.nanoTime() < end, "timed out waiting for " + what + ": written " + this.written
                        + ", pending " + pending);
                Thread.sleep(20);
            }
        }

        @Override
        public void close() {
            Subprocesses.stop(process);
        }
    }

    private Producer produce(Path data, String url, int from, String name) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager", OutboxProducer.class.getName(),
                data.toString(), url, Integer.toString(from), Integer.toString(RESULTS), Integer.toString(CAMERAS),
                Integer.toString(PER_SECOND)).redirectError(root.resolve(name + ".log").toFile()).start();
        return new Producer(p);
    }

    /** mosquitto on {@code port}, persisting to a folder of the test's, started and listening. */
    private Process broker(Path mosquitto, int port, int run) throws IOException, InterruptedException {
        Path conf = root.resolve("mosquitto.conf");
        Path store = Files.createDirectories(root.resolve("mosquitto-db"));
        // user root: when started as root, mosquitto would otherwise switch to a user that cannot write the store
        Files.writeString(conf, String.join("\n", "listener " + port + " 127.0.0.1", "allow_anonymous true",
                "persistence true", "persistence_location " + store + "/", "max_queued_messages 0", "user root",
                "log_dest stderr", ""));
        Path log = root.resolve("mosquitto-" + run + ".log");
        Process p = Subprocesses.start(log, List.of(mosquitto.toString(), "-c", conf.toString()));
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            assertTrue(p.isAlive(), () -> "mosquitto exited: " + read(log));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return p;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IOException("mosquitto not listening on " + port + ": " + read(log));
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Stops the broker as an operator would (SIGTERM: it saves its store) and waits until it has. */
    private static void stopBroker(Process p) throws InterruptedException {
        p.destroy();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "mosquitto stopped");
    }

    @Test
    void everyResultArrivesInOrderPerCameraThroughBrokerAndApplianceRestarts() throws Exception {
        Optional<Path> mosquitto = Subprocesses.find("mosquitto");
        if (mosquitto.isEmpty()) {
            assumeTrue(!"1".equals(System.getenv("DAF_SKIP_EXTERNAL")), "mosquitto not installed");
            throw new IllegalStateException("this test needs mosquitto (apt-get install mosquitto, as .ci/run does),"
                    + " or DAF_SKIP_EXTERNAL=1 to skip it");
        }
        int port = FreePort.find();
        String url = "tcp://127.0.0.1:" + port;
        Path data = root.resolve("outbox");
        // arrival order of result numbers per camera, as the subscriber saw them (repeats included)
        Map<String, List<Integer>> arrived = new TreeMap<>();
        Process broker = broker(mosquitto.get(), port, 1);
        MqttClient subscriber = new MqttClient(url, "mes-subscriber", new MemoryPersistence());
        Producer first = null;
        Producer second = null;
        try {
            MqttConnectOptions o = new MqttConnectOptions();
            o.setCleanSession(false); // the broker keeps what comes while we are away
            o.setAutomaticReconnect(true);
            o.setMaxReconnectDelay(1000);
            subscriber.connect(o);
            subscriber.subscribe("daf-edge/" + OutboxProducer.SITE + "/+/+/result", 1, (topic, m) -> {
                JsonNode r = JSON.readTree(m.getPayload());
                int n = r.get("n").asInt();
                assertEquals(OutboxProducer.resultId(n), r.get("resultId").asText());
                synchronized (arrived) {
                    arrived.computeIfAbsent(r.get("camera").asText(), c -> new ArrayList<>()).add(n);
                }
            });

            first = produce(data, url, 0, "producer-1");
            first.await("150 results written", w -> w >= 150, false);
            stopBroker(broker); // first broker stop: results pile up on disk
            first.await("150 more results written while the broker is away", w -> w >= 300, false);
            long durable = first.written;
            long backlog = first.pending;
            first.process.destroyForcibly().waitFor(); // SIGKILL, no clean close, with the backlog on disk
            assertTrue(backlog >= 100, "the first producer died with undelivered results on disk: " + backlog);

            broker = broker(mosquitto.get(), port, 2);
            second = produce(data, url, (int) durable, "producer-2");
            second.await("200 results written by the second producer", w -> w >= 200, false);
            assertTrue(second.firstPending >= backlog, "the second producer reloaded the backlog: "
                    + second.firstPending + " of " + backlog);
            stopBroker(broker); // second broker stop, with the same process: its automatic reconnect resumes
            Thread.sleep(2000);
            broker = broker(mosquitto.get(), port, 3);
            second.await("every result written and acknowledged", w -> w >= RESULTS - durable, true);

            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(STEP_SECONDS);
            while (distinct(arrived) < RESULTS && System.nanoTime() < end) {
                Thread.sleep(50);
            }
        } finally {
            if (second != null) {
                second.close();
            }
            if (first != null) {
                first.close();
            }
            subscriber.disconnectForcibly(1000, 1000);
            subscriber.close();
            stopBroker(broker);
        }
        synchronized (arrived) {
            int repeats = 0;
            for (int c = 0; c < CAMERAS; c++) {
                List<Integer> seen = arrived.getOrDefault("cam" + c, List.of());
                List<Integer> firsts = new ArrayList<>(new LinkedHashSet<>(seen));
                List<Integer> expected = new ArrayList<>();
                for (int i = c; i < RESULTS; i += CAMERAS) {
                    expected.add(i);
                }
                assertEquals(expected, firsts, "camera cam" + c + ": every result once its repeats are dropped, "
                        + "in order");
                repeats += seen.size() - firsts.size();
            }
            System.out.printf("outbox restart test: %d results, %d repeats received%n", RESULTS, repeats);
        }
    }

    private static int distinct(Map<String, List<Integer>> arrived) {
        synchronized (arrived) {
            return arrived.values().stream().mapToInt(l -> new LinkedHashSet<>(l).size()).sum();
        }
    }
}
