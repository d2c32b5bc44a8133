package io.dafedge.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.dafedge.publish.MqttPublisher;

/**
 * The appliance's command subscription on the plant's kind of broker: a real mosquitto, commands sent with
 * mosquitto_pub. After mosquitto is stopped and started again (it keeps no sessions here, as after a crash), the
 * subscription is made again on the automatic reconnect and commands arrive as before.
 */
class ResubscribeOnMosquittoTest {
    private static final byte[] OFFLINE = "{\"online\":false}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path tmp;

    private static Path tool(String name) {
        Optional<Path> p = Subprocesses.find(name);
        if (p.isEmpty() && "1".equals(System.getenv("DAF_SKIP_EXTERNAL"))) {
            assumeTrue(false, name + " not installed and DAF_SKIP_EXTERNAL=1");
        }
        return p.orElseThrow(() -> new IllegalStateException(name + " not found: apt-get install mosquitto "
                + "mosquitto-clients (as .ci/run does), or set DAF_SKIP_EXTERNAL=1 to skip"));
    }

    private Process mosquitto(Path exe, Path conf, int port, String name) throws Exception {
        Path log = tmp.resolve(name + ".log");
        Process p = Subprocesses.start(log, List.of(exe.toString(), "-c", conf.toString()));
        LineWithModel.awaitListening(p, port, log);
        return p;
    }

    /** Sends with mosquitto_pub every 300 ms until the subscription has delivered a message; returns it. */
    private static String sendUntilReceived(Path pub, int port, String topic, BlockingQueue<String> got)
            throws Exception {
        for (int i = 0; i < 100; i++) {
            Process p = new ProcessBuilder(pub.toString(), "-h", "127.0.0.1", "-p", Integer.toString(port), "-q", "1",
                    "-t", topic, "-m", "{\"id\":\"c-" + i + "\"}").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor(5, TimeUnit.SECONDS);
            String m = got.poll(300, TimeUnit.MILLISECONDS);
            if (m != null) {
                return m;
            }
        }
        throw new AssertionError("nothing arrived on " + topic + " within 30 s");
    }

    @Test
    void theSubscriptionIsMadeAgainWhenMosquittoComesBack() throws Exception {
        Path exe = tool("mosquitto");
        Path pub = tool("mosquitto_pub");
        int port = LineWithModel.freePort();
        Path conf = Files.writeString(tmp.resolve("mosquitto.conf"), String.join("\n",
                "listener " + port + " 127.0.0.1", "allow_anonymous true", "persistence false", "log_dest stderr", ""));
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        Process broker = mosquitto(exe, conf, port, "first");
        try (MqttPublisher p = new MqttPublisher(new MqttPublisher.Connection("tcp://127.0.0.1:" + port,
                "appliance-" + System.nanoTime(), null, null), "daf-edge/s/status", OFFLINE)) {
            p.subscribe("daf-edge/s/+/cmd", 1, (topic, payload) -> got.add(topic));
            assertEquals("daf-edge/s/line1/cmd", sendUntilReceived(pub, port, "daf-edge/s/line1/cmd", got));

            Subprocesses.stop(broker);
            for (int i = 0; i < 100 && p.connected(); i++) {
                Thread.sleep(50);
            }
            assertFalse(p.connected(), "the connection noticed mosquitto was gone");
            got.clear();
            broker = mosquitto(exe, conf, port, "second");
            assertEquals("daf-edge/s/line2/cmd", sendUntilReceived(pub, port, "daf-edge/s/line2/cmd", got));
        } finally {
            Subprocesses.stop(broker);
        }
    }
}
