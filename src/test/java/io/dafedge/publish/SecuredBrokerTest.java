package io.dafedge.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The appliance's publisher against real mosquitto brokers that want TLS with client certificates, or a username and
 * password: the right credentials publish (read back by mosquitto_sub), every wrong one is refused with a log line
 * that says which, and no password ever reaches the log.
 */
class SecuredBrokerTest {
    private static final String USER = "daf";
    private static final String PASSWORD = "mqtt-Secret-9921";
    private static final String WRONG = "guess-Secret-1234";
    private static final byte[] OFFLINE = "{\"online\":false}".getBytes(StandardCharsets.UTF_8);
    private static final long WAIT_MS = 20_000;
    private static Path dir;
    private static TestPki pki;
    private static Mosquitto mutual;
    private static Mosquitto elsewhere;
    private static Mosquitto withPassword;
    private final List<LogRecord> log = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            log.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private static final List<String> CAPTURED = List.of("io.dafedge", "org.eclipse.paho");

    @BeforeAll
    static void brokers() throws Exception {
        dir = Path.of("target", "mqtt-secured-" + System.nanoTime()).toAbsolutePath();
        pki = TestPki.make(dir.resolve("pki"));
        mutual = Mosquitto.start(dir, List.of("cafile " + pki.file("ca.crt"), "certfile " + pki.file("server.crt"),
                "keyfile " + pki.file("server.key"), "require_certificate true", "allow_anonymous true"));
        // a broker whose certificate names another host than the address it is reached by
        elsewhere = Mosquitto.start(dir, List.of("certfile " + pki.file("elsewhere.crt"),
                "keyfile " + pki.file("elsewhere.key"), "allow_anonymous true"));
        Path passwords = dir.resolve("passwd");
        Process p = new ProcessBuilder(Mosquitto.tool("mosquitto_passwd"), "-c", "-b", passwords.toString(), USER,
                PASSWORD).redirectErrorStream(true).start();
        assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        withPassword = Mosquitto.start(dir, List.of("allow_anonymous false", "password_file " + passwords));
    }

    @AfterAll
    static void stopBrokers() {
        for (Mosquitto m : new Mosquitto[] {mutual, elsewhere, withPassword}) {
            if (m != null) {
                m.close();
            }
        }
    }

    @BeforeEach
    void captureLog() {
        for (String name : CAPTURED) {
            Logger.getLogger(name).addHandler(capture);
        }
        Logger.getLogger("io.dafedge").setLevel(Level.ALL);
    }

    @AfterEach
    void noPasswordLogged() {
        for (String name : CAPTURED) {
            Logger.getLogger(name).removeHandler(capture);
        }
        for (LogRecord r : log) {
            String line = text(r);
            for (String secret : List.of(PASSWORD, WRONG, TestPki.STORE_PASSWORD)) {
                assertFalse(line.contains(secret), "a password in the log: " + line);
            }
        }
    }

    private static String text(LogRecord r) {
        String m = String.valueOf(r.getMessage());
        Object[] p = r.getParameters();
        String formatted = p == null || p.length == 0 ? m : String.format(m, p);
        return formatted + (r.getThrown() == null ? "" : " " + r.getThrown());
    }

    private static MqttPublisher publisher(String url, String clientId, String user, String password, MqttTls tls)
            throws Exception {
        return new MqttPublisher(new MqttPublisher.Connection(url, clientId, user,
                password == null ? null : password.toCharArray(), tls), "daf-edge/s/status", OFFLINE);
    }

    private static void awaitConnected(MqttPublisher p) throws InterruptedException {
        for (long end = System.currentTimeMillis() + WAIT_MS; System.currentTimeMillis() < end && !p.connected(); ) {
            Thread.sleep(50);
        }
        assertTrue(p.connected(), "connected; last error: " + p.lastError());
    }

    /** Waits for the first refusal and returns the error line the publisher logged for it. */
    private String awaitRefusal(MqttPublisher p, String expected) throws InterruptedException {
        for (long end = System.currentTimeMillis() + WAIT_MS; System.currentTimeMillis() < end; ) {
            for (LogRecord r : log) {
                if (r.getLevel().intValue() >= Level.SEVERE.intValue() && r.getLoggerName().startsWith("io.dafedge")) {
                    String line = text(r);
                    assertFalse(p.connected());
                    assertTrue(line.contains(expected), "expected \"" + expected + "\" in: " + line);
                    assertEquals(p.lastError(), line.substring(line.indexOf(": ") + 2, line.lastIndexOf("; retrying")),
                            "the health check reports the same reason");
                    return line;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no refusal logged within " + WAIT_MS + " ms; last error: " + p.lastError()
                + "; log: " + log.stream().map(SecuredBrokerTest::text).toList());
    }

    private static String ssl(Mosquitto m, String host) {
        return "ssl://" + host + ":" + m.port();
    }

    @Test
    void withTheRightClientCertificateAMessageReachesAnIndependentSubscriber() throws Exception {
        List<String> subTls = List.of("--cafile", pki.file("ca.crt").toString(), "--cert",
                pki.file("client.crt").toString(), "--key", pki.file("client.key").toString());
        // both ways to give the client certificate: a PKCS12 store, and PEM files (PKCS#1 RSA key) with PKCS12 trust
        for (MqttTls.Settings s : List.of(pki.pkcs12Client("ca.crt", "client.p12"),
                pki.pemClient("client.crt", "client-rsa.key"))) {
            String topic = "daf-edge/s/l/c/result-" + System.nanoTime();
            try (MqttPublisher p = publisher(ssl(mutual, "localhost"), "pub-" + System.nanoTime(), null, null,
                    MqttTls.load(s))) {
                awaitConnected(p);
                assertTrue(p.publish(topic, "{\"verdict\":\"OK\"}".getBytes(StandardCharsets.UTF_8), 1, true));
                assertEquals("{\"verdict\":\"OK\"}", mutual.retained(topic, subTls), "via " + s);
            }
        }
    }

    @Test
    void aClientCertificateFromAForeignCaIsRefusedByTheBroker() throws Exception {
        try (MqttPublisher p = publisher(ssl(mutual, "127.0.0.1"), "rogue", null, null,
                MqttTls.load(pki.pkcs12Client("ca.crt", "rogue.p12")))) {
            String line = awaitRefusal(p, "the broker refused daf-edge's client certificate");
            assertTrue(line.contains("CN=daf-test rogue") && line.contains("issued by CN=daf-test foreign"), line);
        }
    }

    @Test
    void withoutAClientCertificateTheBrokerThatRequiresOneRefuses() throws Exception {
        try (MqttPublisher p = publisher(ssl(mutual, "127.0.0.1"), "nocert", null, null,
                MqttTls.load(pki.trustOnly("ca.crt", true)))) {
            awaitRefusal(p, "the broker requires a client certificate and daf-edge has none");
        }
    }

    @Test
    void aBrokerCertificateFromAnUntrustedCaIsRefused() throws Exception {
        try (MqttPublisher p = publisher(ssl(mutual, "127.0.0.1"), "wrong-trust", null, null,
                MqttTls.load(pki.pkcs12Client("foreign.crt", "client.p12")))) {
            String line = awaitRefusal(p, "daf-edge refused the broker: its certificate (subject CN=daf-test server,"
                    + " issued by CN=daf-test ca) is not signed by a CA in " + MqttTls.TRUST_STORE);
            assertTrue(line.contains("foreign.crt"), line);
        }
    }

    @Test
    void aBrokerCertificateForAnotherHostIsRefusedUnlessHostnameVerificationIsOff() throws Exception {
        try (MqttPublisher p = publisher(ssl(elsewhere, "127.0.0.1"), "hostname", null, null,
                MqttTls.load(pki.trustOnly("ca.crt", true)))) {
            String line = awaitRefusal(p, "is not issued for host 127.0.0.1");
            assertTrue(line.contains("DNS:broker.plant.local") && line.contains(MqttTls.VERIFY_HOSTNAME + "=false"),
                    line);
        }
        try (MqttPublisher p = publisher(ssl(elsewhere, "127.0.0.1"), "no-hostname-check", null, null,
                MqttTls.load(pki.trustOnly("ca.crt", false)))) {
            awaitConnected(p);
        }
    }

    @Test
    void theRightPasswordPublishesAndWrongOnesAreRefused() throws Exception {
        String url = "tcp://127.0.0.1:" + withPassword.port();
        String topic = "daf-edge/s/l/c/result-auth";
        try (MqttPublisher p = publisher(url, "auth-ok", USER, PASSWORD, null)) {
            awaitConnected(p);
            assertTrue(p.publish(topic, new byte[] {'1'}, 1, true));
            assertEquals("1", withPassword.retained(topic, List.of("-u", USER, "-P", PASSWORD)));
        }
        try (MqttPublisher p = publisher(url, "auth-wrong", USER, WRONG, null)) {
            String line = awaitRefusal(p, "the broker refused user 'daf'");
            assertTrue(line.contains("daf.mqtt.password"), line);
            assertFalse(p.lastError().contains(WRONG));
        }
        log.clear();
        try (MqttPublisher p = publisher(url, "auth-none", null, null, null)) {
            awaitRefusal(p, "the broker refused an anonymous login");
        }
    }
}
