package io.dafedge.publish;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The configuration's way to the connection: {@code daf.mqtt.broker=ssl://...}, {@code daf.mqtt.tls.*} (PEM trust,
 * PKCS12 client store) and the credentials, read by the appliance, reach a mosquitto that requires a client
 * certificate and a password, where mosquitto_sub finds the appliance's retained status.
 */
@QuarkusTest
@QuarkusTestResource(value = SecuredBrokerConfigTest.Broker.class, restrictToAnnotatedClass = true)
class SecuredBrokerConfigTest {
    static final String SITE = "secured";
    static final String USER = "daf-edge";
    static final String PASSWORD = "wired-Secret-5150";

    /** A PKI and a mosquitto with mutual TLS and a password file, and the appliance's settings for it. */
    public static class Broker implements QuarkusTestResourceLifecycleManager {
        private Mosquitto broker;

        @Override
        public Map<String, String> start() {
            try {
                Path dir = Path.of("target", "mqtt-config-" + System.nanoTime()).toAbsolutePath();
                TestPki pki = TestPki.make(dir.resolve("pki"));
                Path passwords = dir.resolve("passwd");
                Process p = new ProcessBuilder(Mosquitto.tool("mosquitto_passwd"), "-c", "-b", passwords.toString(),
                        USER, PASSWORD).redirectErrorStream(true).start();
                if (p.waitFor() != 0) {
                    throw new IllegalStateException(new String(p.getInputStream().readAllBytes(),
                            StandardCharsets.UTF_8));
                }
                broker = Mosquitto.start(dir, List.of("cafile " + pki.file("ca.crt"),
                        "certfile " + pki.file("server.crt"), "keyfile " + pki.file("server.key"),
                        "require_certificate true", "allow_anonymous false", "password_file " + passwords));
                return Map.ofEntries(Map.entry("daf.data-dir", dir.resolve("data").toString()),
                        Map.entry("daf.site", SITE),
                        Map.entry("daf.cameras.cam1.source", "http"),
                        Map.entry("daf.mqtt.broker", "ssl://localhost:" + broker.port()),
                        Map.entry("daf.mqtt.username", USER), Map.entry("daf.mqtt.password", PASSWORD),
                        Map.entry("daf.mqtt.tls.trust-store", pki.file("ca.crt").toString()),
                        Map.entry("daf.mqtt.tls.key-store", pki.file("client.p12").toString()),
                        Map.entry("daf.mqtt.tls.key-store-password", TestPki.STORE_PASSWORD),
                        Map.entry("test.mqtt-port", Integer.toString(broker.port())),
                        Map.entry("test.pki", pki.dir.toString()));
            } catch (Exception e) {
                stop();
                throw new IllegalStateException("could not start the secured broker: " + e.getMessage(), e);
            }
        }

        @Override
        public void stop() {
            if (broker != null) {
                broker.close();
            }
        }
    }

    @Test
    void theApplianceConnectsWithItsConfiguredCertificateAndPassword() throws Exception {
        Path pki = Path.of(ConfigProvider.getConfig().getValue("test.pki", String.class));
        int port = ConfigProvider.getConfig().getValue("test.mqtt-port", Integer.class);
        List<String> tls = List.of("--cafile", pki.resolve("ca.crt").toString(), "--cert",
                pki.resolve("client.crt").toString(), "--key", pki.resolve("client.key").toString(), "-u", USER, "-P",
                PASSWORD);
        String topic = "daf-edge/" + SITE + "/status";
        String status = "";
        for (int i = 0; i < 10 && status.isEmpty(); i++) { // the status goes out once the connection stands
            status = Mosquitto.retained(port, topic, tls);
        }
        assertTrue(status.contains("\"online\":true"), "the appliance's retained status: " + status);
    }
}
