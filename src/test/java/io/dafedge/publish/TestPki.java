package io.dafedge.publish;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.dafedge.api.Subprocesses;

/**
 * A small PKI made with the openssl CLI (and the JDK's keytool) for the TLS tests: a CA, a foreign CA, a broker
 * certificate for 127.0.0.1 / localhost, one for another host name, a client certificate from each CA, and the same
 * material as PKCS12 and JKS stores. Store passwords are {@link #STORE_PASSWORD}.
 */
final class TestPki {
    static final String STORE_PASSWORD = "store-Secret-4711";
    final Path dir;

    private TestPki(Path dir) {
        this.dir = dir;
    }

    /** Makes the PKI under {@code dir}; skips with DAF_SKIP_EXTERNAL=1 when openssl is missing, else fails. */
    static TestPki make(Path dir) throws IOException, InterruptedException {
        Optional<Path> openssl = Subprocesses.find("openssl");
        if (openssl.isEmpty()) {
            assumeTrue(!"1".equals(System.getenv("DAF_SKIP_EXTERNAL")), "openssl missing and DAF_SKIP_EXTERNAL=1");
            throw new IllegalStateException("the TLS tests need openssl (apt-get install openssl, as .ci/run does)");
        }
        TestPki pki = new TestPki(Files.createDirectories(dir));
        String o = openssl.get().toString();
        for (String ca : List.of("ca", "foreign")) {
            pki.run(o, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", ca + ".key", "-out", ca + ".crt",
                    "-days", "2", "-subj", "/CN=daf-test " + ca);
        }
        pki.leaf(o, "server", "ca", "DNS:localhost,IP:127.0.0.1", "serverAuth");
        pki.leaf(o, "elsewhere", "ca", "DNS:broker.plant.local", "serverAuth");
        pki.leaf(o, "client", "ca", "DNS:daf-edge", "clientAuth");
        pki.leaf(o, "rogue", "foreign", "DNS:daf-edge", "clientAuth");
        for (String who : List.of("client", "rogue")) {
            pki.run(o, "pkcs12", "-export", "-in", who + ".crt", "-inkey", who + ".key", "-out", who + ".p12",
                    "-passout", "pass:" + STORE_PASSWORD);
        }
        // what OpenSSL 1.1 and many plant tools still write: the traditional "BEGIN RSA PRIVATE KEY"
        pki.run(o, "rsa", "-in", "client.key", "-traditional", "-out", "client-rsa.key");
        pki.run(o, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec-sec1.key");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        for (String type : List.of("PKCS12", "JKS")) {
            pki.run(keytool, "-importcert", "-noprompt", "-alias", "ca", "-file", "ca.crt", "-keystore",
                    "trust." + type.toLowerCase(), "-storetype", type, "-storepass", STORE_PASSWORD);
        }
        return pki;
    }

    private void leaf(String openssl, String name, String ca, String names, String usage)
            throws IOException, InterruptedException {
        Files.writeString(dir.resolve(name + ".ext"), "subjectAltName=" + names + "\nextendedKeyUsage=" + usage + "\n");
        run(openssl, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr",
                "-subj", "/CN=daf-test " + name);
        run(openssl, "x509", "-req", "-in", name + ".csr", "-CA", ca + ".crt", "-CAkey", ca + ".key",
                "-CAcreateserial", "-out", name + ".crt", "-days", "2", "-extfile", name + ".ext");
    }

    private void run(String... command) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of(command));
        Process p = new ProcessBuilder(c).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", c) + " failed: " + out);
        }
    }

    Path file(String name) {
        return dir.resolve(name);
    }

    /** Trust in a PEM CA file, a client certificate from a PKCS12 store. */
    MqttTls.Settings pkcs12Client(String trustFile, String keyStore) {
        return new MqttTls.Settings(Optional.of(file(trustFile)), Optional.empty(), Optional.of(file(keyStore)),
                Optional.of(STORE_PASSWORD), Optional.empty(), Optional.empty(), true);
    }

    /** Trust in a PKCS12 trust store, a client certificate and key as PEM files. */
    MqttTls.Settings pemClient(String certificate, String key) {
        return new MqttTls.Settings(Optional.of(file("trust.pkcs12")), Optional.of(STORE_PASSWORD), Optional.empty(),
                Optional.empty(), Optional.of(file(certificate)), Optional.of(file(key)), true);
    }

    /** Trust only, no client certificate. */
    MqttTls.Settings trustOnly(String trustFile, boolean verifyHostname) {
        return new MqttTls.Settings(Optional.of(file(trustFile)), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), verifyHostname);
    }
}
