package io.dafedge.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;

import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Building the TLS context from real PEM, PKCS12 and JKS files, and the start-up errors for bad ones. */
class MqttTlsTest {
    private static TestPki pki;

    @BeforeAll
    static void makePki() throws Exception {
        pki = TestPki.make(Path.of("target", "mqtt-tls-unit-" + System.nanoTime()).toAbsolutePath());
    }

    private static MqttTls.Settings settings(Optional<Path> trust, Optional<String> trustPassword,
            Optional<Path> keyStore, Optional<String> keyStorePassword, Optional<Path> cert, Optional<Path> key) {
        return new MqttTls.Settings(trust, trustPassword, keyStore, keyStorePassword, cert, key, true);
    }

    private static String refusal(MqttTls.Settings s) {
        return assertThrows(IllegalArgumentException.class, () -> MqttTls.load(s)).getMessage();
    }

    @Test
    void pemTrustAndPkcs12ClientStore() {
        MqttTls tls = MqttTls.load(pki.pkcs12Client("ca.crt", "client.p12"));
        assertTrue(tls.clientIdentity().contains("CN=daf-test client"), tls.clientIdentity());
        assertTrue(tls.clientIdentity().contains("issued by CN=daf-test ca"), tls.clientIdentity());
        assertTrue(tls.trustSource().contains(MqttTls.TRUST_STORE), tls.trustSource());
        MqttConnectOptions o = new MqttConnectOptions();
        tls.applyTo(o);
        assertTrue(o.getSocketFactory() != null);
        assertTrue(o.isHttpsHostnameVerificationEnabled());
    }

    @Test
    void pkcs12AndJksTrustStoresAndPemClientKeysInBothFormats() {
        for (String key : new String[] {"client.key", "client-rsa.key"}) {
            MqttTls tls = MqttTls.load(pki.pemClient("client.crt", key));
            assertTrue(tls.clientIdentity().contains("CN=daf-test client"), key);
        }
        MqttTls jks = MqttTls.load(settings(Optional.of(pki.file("trust.jks")), Optional.of(TestPki.STORE_PASSWORD),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
        assertNull(jks.clientIdentity());
    }

    @Test
    void noTrustStoreMeansTheJvmDefaultAndHostnameCheckCanBeTurnedOff() {
        MqttTls tls = MqttTls.load(new MqttTls.Settings(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), false));
        assertTrue(tls.trustSource().contains("JVM's default"), tls.trustSource());
        MqttConnectOptions o = new MqttConnectOptions();
        tls.applyTo(o);
        assertFalse(o.isHttpsHostnameVerificationEnabled());
        assertFalse(MqttTls.Settings.none().configured());
    }

    @Test
    void aWrongOrMissingStorePasswordNamesTheSettingAndNeverThePassword() {
        String wrong = "not-the-Password-0815";
        String m = refusal(settings(Optional.of(pki.file("ca.crt")), Optional.empty(),
                Optional.of(pki.file("client.p12")), Optional.of(wrong), Optional.empty(), Optional.empty()));
        assertTrue(m.contains(MqttTls.KEY_STORE_PASSWORD) && m.contains("client.p12"), m);
        assertFalse(m.contains(wrong), m);
        m = refusal(settings(Optional.of(pki.file("trust.jks")), Optional.of(wrong), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty()));
        assertTrue(m.contains(MqttTls.TRUST_STORE_PASSWORD) && m.contains("trust.jks"), m);
        m = refusal(settings(Optional.of(pki.file("ca.crt")), Optional.empty(), Optional.of(pki.file("client.p12")),
                Optional.empty(), Optional.empty(), Optional.empty()));
        assertTrue(m.contains(MqttTls.KEY_STORE_PASSWORD) && m.contains("none is set"), m);
        // a PKCS12 trust store hides its certificates from whoever opens it without the password
        m = refusal(pki.trustOnly("trust.pkcs12", true));
        assertTrue(m.contains("holds no trusted certificate") && m.contains("set " + MqttTls.TRUST_STORE_PASSWORD), m);
    }

    @Test
    void missingOrUnusableFilesNameTheSetting() {
        String m = refusal(pki.trustOnly("no-such-ca.crt", true));
        assertTrue(m.startsWith(MqttTls.TRUST_STORE + ": no such file") && m.contains("no-such-ca.crt"), m);
        m = refusal(pki.trustOnly("server.ext", true)); // a text file that is neither PEM nor a store
        assertTrue(m.contains(MqttTls.TRUST_STORE) && m.contains("neither a PEM file nor a PKCS12 or JKS"), m);
        m = refusal(pki.trustOnly("client.key", true)); // PEM, but no certificate in it
        assertTrue(m.contains("holds no PEM certificate"), m);
        m = refusal(pki.pemClient("client.crt", "no-such.key"));
        assertTrue(m.startsWith(MqttTls.KEY + ": no such file"), m);
    }

    @Test
    void aClientKeyThatIsNotTheCertificatesOrNotReadableIsRefusedWithAHint() {
        String m = refusal(pki.pemClient("client.crt", "rogue.key"));
        assertTrue(m.contains("is not the key of the certificate in " + MqttTls.CERTIFICATE), m);
        m = refusal(pki.pemClient("client.crt", "ec-sec1.key"));
        assertTrue(m.contains("\"EC PRIVATE KEY\"") && m.contains("openssl pkcs8 -topk8 -nocrypt"), m);
        m = refusal(settings(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(pki.file("client.crt")), Optional.empty()));
        assertTrue(m.contains("go together"), m);
        m = refusal(settings(Optional.empty(), Optional.empty(), Optional.of(pki.file("client.p12")),
                Optional.of(TestPki.STORE_PASSWORD), Optional.of(pki.file("client.crt")),
                Optional.of(pki.file("client.key"))));
        assertTrue(m.contains("not both"), m);
        m = refusal(settings(Optional.empty(), Optional.empty(), Optional.of(pki.file("trust.pkcs12")),
                Optional.of(TestPki.STORE_PASSWORD), Optional.empty(), Optional.empty()));
        assertTrue(m.contains("holds no private key"), m);
    }

    @Test
    void theSettingsPrintWithoutPasswords() {
        MqttTls.Settings s = pki.pkcs12Client("ca.crt", "client.p12");
        assertFalse(s.toString().contains(TestPki.STORE_PASSWORD), s.toString());
        assertEquals(-1, MqttTls.load(s).toString().indexOf(TestPki.STORE_PASSWORD));
    }
}
