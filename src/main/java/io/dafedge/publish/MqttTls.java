package io.dafedge.publish;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509KeyManager;

import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.jboss.logging.Logger;

/**
 * TLS towards an external broker ({@code ssl://} URLs): whom to trust (a PEM CA file or a PKCS12/JKS trust store, else
 * the JVM's default trust) and, for mutual TLS, the appliance's own certificate (a PKCS12/JKS key store, or a PEM
 * certificate and key). Everything is read and checked when the appliance starts, so a missing file or a wrong
 * password stops the start with a message naming the setting instead of surfacing as a vague handshake failure.
 * <p>
 * The trust and key managers are wrapped so a refused handshake can later be told apart and explained
 * ({@link BrokerRefusals}): untrusted broker certificate, broker certificate for another host name, or a client
 * certificate the broker turned down. Passwords are used while loading and not kept.
 */
public final class MqttTls {
    private static final Logger LOG = Logger.getLogger(MqttTls.class);
    static final String TRUST_STORE = "daf.mqtt.tls.trust-store";
    static final String TRUST_STORE_PASSWORD = "daf.mqtt.tls.trust-store-password";
    static final String KEY_STORE = "daf.mqtt.tls.key-store";
    static final String KEY_STORE_PASSWORD = "daf.mqtt.tls.key-store-password";
    static final String CERTIFICATE = "daf.mqtt.tls.certificate";
    static final String KEY = "daf.mqtt.tls.key";
    static final String VERIFY_HOSTNAME = "daf.mqtt.tls.verify-hostname";
    private static final Pattern PEM_BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");
    /** DER of the AlgorithmIdentifier for rsaEncryption (1.2.840.113549.1.1.1) with NULL parameters. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
        (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    /**
     * The TLS settings as configured; all optional. Client identity is either {@code keyStore} or
     * {@code certificate} with {@code key}.
     */
    public record Settings(Optional<Path> trustStore, Optional<String> trustStorePassword, Optional<Path> keyStore,
            Optional<String> keyStorePassword, Optional<Path> certificate, Optional<Path> key,
            boolean verifyHostname) {
        public static Settings none() {
            return new Settings(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), true);
        }

        /** Whether anything beyond the defaults was set, which only makes sense for an ssl:// broker. */
        public boolean configured() {
            return trustStore.isPresent() || keyStore.isPresent() || certificate.isPresent() || key.isPresent()
                    || !verifyHostname;
        }

        @Override
        public String toString() { // no passwords
            return "trust " + trustStore.map(Path::toString).orElse("JVM default") + ", client certificate "
                    + keyStore.or(() -> certificate).map(Path::toString).orElse("none") + ", hostname verification "
                    + (verifyHostname ? "on" : "off");
        }
    }

    private final SSLContext context;
    private final boolean verifyHostname;
    private final String trustSource;
    private final String clientIdentity;
    private volatile Handshake lastHandshake = Handshake.NOT_YET;

    /** What the last handshake did about a client certificate, to explain a broker that hangs up right after it. */
    enum Handshake { NOT_YET, SERVER_TRUSTED, CLIENT_CERTIFICATE_SENT, CLIENT_CERTIFICATE_MISSING }

    private MqttTls(SSLContext context, boolean verifyHostname, String trustSource, String clientIdentity) {
        this.context = context;
        this.verifyHostname = verifyHostname;
        this.trustSource = trustSource;
        this.clientIdentity = clientIdentity;
    }

    /**
     * Reads the stores and builds the TLS context.
     *
     * @throws IllegalArgumentException naming the setting, when a file is missing or unreadable, a password is
     *     wrong, or the contents do not fit
     */
    public static MqttTls load(Settings s) {
        try {
            KeyStore trust = trustStore(s);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust); // null: the JVM's default CAs
            KeyStore keys = clientKeyStore(s);
            char[] keyPassword = keyPassword(s);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, keyPassword);
            String trustSource = s.trustStore().map(p -> TRUST_STORE + " (" + p + ")")
                    .orElse("the JVM's default trust store (" + TRUST_STORE + " is not set)");
            String identity = identity(keys);
            SSLContext context = SSLContext.getInstance("TLS");
            MqttTls tls = new MqttTls(context, s.verifyHostname(), trustSource, identity);
            context.init(new KeyManager[] {tls.new ReportingKeyManager(x509(kmf.getKeyManagers(), X509KeyManager.class))},
                    new TrustManager[] {tls.new ExplainingTrustManager(
                            x509(tmf.getTrustManagers(), X509ExtendedTrustManager.class))},
                    null);
            if (!s.verifyHostname()) {
                LOG.warnf("MQTT TLS: hostname verification is off (%s=false): any certificate signed by a trusted CA"
                        + " is accepted for the broker, whatever host it was issued for", VERIFY_HOSTNAME);
            }
            return tls;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("MQTT TLS settings are not usable: " + e.getMessage(), e);
        }
    }

    private static <T> T x509(Object[] managers, Class<T> type) {
        for (Object m : managers) {
            if (type.isInstance(m)) {
                return type.cast(m);
            }
        }
        throw new IllegalStateException("the JVM offers no " + type.getSimpleName());
    }

    /** The trust store (PEM file or PKCS12/JKS), or null for the JVM's default trust. */
    private static KeyStore trustStore(Settings s) throws GeneralSecurityException {
        if (s.trustStore().isEmpty()) {
            return null;
        }
        Path file = s.trustStore().get();
        byte[] bytes = read(file, TRUST_STORE);
        if (isPem(bytes)) {
            List<X509Certificate> cas = certificates(bytes, file, TRUST_STORE);
            KeyStore ks = emptyStore();
            for (int i = 0; i < cas.size(); i++) {
                ks.setCertificateEntry("ca-" + i, cas.get(i));
            }
            return ks;
        }
        KeyStore ks = store(file, s.trustStorePassword(), TRUST_STORE, TRUST_STORE_PASSWORD);
        if (Collections.list(ks.aliases()).stream().noneMatch(a -> isCertificateEntry(ks, a))) {
            throw new IllegalArgumentException(TRUST_STORE + " " + file + " holds no trusted certificate"
                    + (s.trustStorePassword().isEmpty() ? " readable without a password (set "
                            + TRUST_STORE_PASSWORD + ")" : ""));
        }
        return ks;
    }

    private static boolean isCertificateEntry(KeyStore ks, String alias) {
        try {
            return ks.isCertificateEntry(alias);
        } catch (KeyStoreException e) {
            return false;
        }
    }

    /** The client's key and certificate chain, from a key store or a PEM pair; an empty store without either. */
    private static KeyStore clientKeyStore(Settings s) throws GeneralSecurityException {
        boolean pem = s.certificate().isPresent() || s.key().isPresent();
        if (pem && s.keyStore().isPresent()) {
            throw new IllegalArgumentException("set either " + KEY_STORE + " or " + CERTIFICATE + " with " + KEY
                    + ", not both");
        }
        if (s.keyStore().isPresent()) {
            Path file = s.keyStore().get();
            KeyStore ks = store(file, s.keyStorePassword(), KEY_STORE, KEY_STORE_PASSWORD);
            if (Collections.list(ks.aliases()).stream().noneMatch(a -> isKeyEntry(ks, a))) {
                throw new IllegalArgumentException(KEY_STORE + " " + file + " holds no private key with its"
                        + " certificate");
            }
            for (String alias : Collections.list(ks.aliases())) {
                if (isKeyEntry(ks, alias)) {
                    try {
                        ks.getKey(alias, keyPassword(s));
                    } catch (UnrecoverableKeyException e) {
                        // a store opened without a password still lists its entries; the key is what needs one
                        throw new IllegalArgumentException(KEY_STORE + " " + file + ": its private key cannot be"
                                + " read with the password in " + KEY_STORE_PASSWORD + (s.keyStorePassword().isEmpty()
                                        ? " (none is set)" : " (wrong password?)"), e);
                    }
                }
            }
            return ks;
        }
        KeyStore ks = emptyStore();
        if (pem) {
            if (s.certificate().isEmpty() || s.key().isEmpty()) {
                throw new IllegalArgumentException(CERTIFICATE + " and " + KEY + " go together: set both");
            }
            Path certFile = s.certificate().get();
            List<X509Certificate> chain = certificates(read(certFile, CERTIFICATE), certFile, CERTIFICATE);
            PrivateKey key = privateKey(s.key().get());
            if (!belongTogether(key, chain.get(0))) {
                throw new IllegalArgumentException(KEY + " " + s.key().get() + " is not the key of the certificate in "
                        + CERTIFICATE + " " + certFile + " (" + chain.get(0).getSubjectX500Principal() + ")");
            }
            ks.setKeyEntry("client", key, new char[0], chain.toArray(new X509Certificate[0]));
        }
        return ks;
    }

    private static char[] keyPassword(Settings s) {
        return s.keyStore().isPresent() ? s.keyStorePassword().map(String::toCharArray).orElse(new char[0])
                : new char[0];
    }

    private static boolean isKeyEntry(KeyStore ks, String alias) {
        try {
            return ks.isKeyEntry(alias);
        } catch (KeyStoreException e) {
            return false;
        }
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            ks.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException(e); // an empty in-memory store reads nothing
        }
        return ks;
    }

    /** A PKCS12 or JKS file (the JDK tells them apart), with the password problems named. */
    private static KeyStore store(Path file, Optional<String> password, String setting, String passwordSetting) {
        read(file, setting);
        try {
            return KeyStore.getInstance(file.toFile(), password.map(String::toCharArray).orElse(null));
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password")) {
                throw new IllegalArgumentException(setting + " " + file + " cannot be opened with the password in "
                        + passwordSetting + (password.isEmpty() ? " (none is set)" : " (wrong password?)"), e);
            }
            throw new IllegalArgumentException(setting + " " + file + " is not a readable PKCS12 or JKS store: "
                    + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(setting + " " + file + " is neither a PEM file nor a PKCS12 or JKS"
                    + " store: " + e.getMessage(), e);
        }
    }

    private static byte[] read(Path file, String setting) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(setting + ": no such file " + file.toAbsolutePath());
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(setting + ": cannot read " + file.toAbsolutePath() + " ("
                    + e.getMessage() + ")", e);
        }
    }

    private static boolean isPem(byte[] bytes) {
        return new String(bytes, StandardCharsets.US_ASCII).contains("-----BEGIN ");
    }

    private static List<X509Certificate> certificates(byte[] pem, Path file, String setting) {
        List<X509Certificate> certs = new ArrayList<>();
        Matcher m = PEM_BLOCK.matcher(new String(pem, StandardCharsets.US_ASCII));
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            while (m.find()) {
                if ("CERTIFICATE".equals(m.group(1))) {
                    Collection<? extends java.security.cert.Certificate> c = cf.generateCertificates(
                            new ByteArrayInputStream(Base64.getMimeDecoder().decode(m.group(2))));
                    c.forEach(x -> certs.add((X509Certificate) x));
                }
            }
        } catch (CertificateException | IllegalArgumentException e) {
            throw new IllegalArgumentException(setting + " " + file + " holds a damaged certificate: "
                    + e.getMessage(), e);
        }
        if (certs.isEmpty()) {
            throw new IllegalArgumentException(setting + " " + file + " holds no PEM certificate"
                    + " (-----BEGIN CERTIFICATE-----)");
        }
        return certs;
    }

    /** An unencrypted PEM key: PKCS#8 ("PRIVATE KEY") of any JDK key type, or PKCS#1 ("RSA PRIVATE KEY"). */
    private static PrivateKey privateKey(Path file) {
        Matcher m = PEM_BLOCK.matcher(new String(read(file, KEY), StandardCharsets.US_ASCII));
        if (!m.find()) {
            throw new IllegalArgumentException(KEY + " " + file + " holds no PEM private key");
        }
        String type = m.group(1);
        byte[] der = Base64.getMimeDecoder().decode(m.group(2));
        if ("RSA PRIVATE KEY".equals(type)) {
            der = pkcs8(RSA_ALGORITHM, der);
        } else if (!"PRIVATE KEY".equals(type)) {
            throw new IllegalArgumentException(KEY + " " + file + " is a \"" + type + "\"; daf-edge reads unencrypted"
                    + " PKCS#8 (\"PRIVATE KEY\") or RSA keys: convert it with"
                    + " openssl pkcs8 -topk8 -nocrypt -in " + file + " -out client-pkcs8.key");
        }
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448", "DSA")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException notThisType) {
                // the PKCS#8 header names the algorithm, but the JDK offers no lookup by it: try the usual ones
            }
        }
        throw new IllegalArgumentException(KEY + " " + file + " is not a private key the JVM can read");
    }

    /** Wraps a bare key in a PKCS#8 PrivateKeyInfo: SEQUENCE { INTEGER 0, algorithm, OCTET STRING key }. */
    private static byte[] pkcs8(byte[] algorithm, byte[] key) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00});
        body.writeBytes(algorithm);
        body.writeBytes(derHeader(0x04, key.length));
        body.writeBytes(key);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(derHeader(0x30, body.size()));
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static byte[] derHeader(int tag, int length) {
        if (length < 0x80) {
            return new byte[] {(byte) tag, (byte) length};
        }
        int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
        byte[] h = new byte[2 + bytes];
        h[0] = (byte) tag;
        h[1] = (byte) (0x80 | bytes);
        for (int i = 0; i < bytes; i++) {
            h[2 + i] = (byte) (length >>> (8 * (bytes - 1 - i)));
        }
        return h;
    }

    /** Signs with the key and verifies with the certificate: the one check that works for every key type. */
    private static boolean belongTogether(PrivateKey key, X509Certificate cert) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "DSA" -> "SHA256withDSA";
            default -> key.getAlgorithm(); // Ed25519, Ed448: the algorithm is the signature
        };
        try {
            byte[] probe = "daf-edge".getBytes(StandardCharsets.US_ASCII);
            Signature sign = Signature.getInstance(algorithm);
            sign.initSign(key);
            sign.update(probe);
            byte[] signature = sign.sign();
            Signature verify = Signature.getInstance(algorithm);
            verify.initVerify(cert.getPublicKey());
            verify.update(probe);
            return verify.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String identity(KeyStore keys) throws KeyStoreException {
        for (String alias : Collections.list(keys.aliases())) {
            if (keys.isKeyEntry(alias) && keys.getCertificate(alias) instanceof X509Certificate c) {
                return describe(c);
            }
        }
        return null;
    }

    static String describe(X509Certificate c) {
        return "subject " + c.getSubjectX500Principal().getName() + ", issued by "
                + c.getIssuerX500Principal().getName();
    }

    /** Whether a broker URL asks for TLS (Paho: ssl://, and wss:// for websockets). */
    public static boolean secure(String url) {
        return url.startsWith("ssl://") || url.startsWith("wss://");
    }

    /** Puts the TLS context and the hostname check on Paho's options (used only for ssl:// URLs). */
    void applyTo(MqttConnectOptions options) {
        options.setSocketFactory(context.getSocketFactory());
        options.setHttpsHostnameVerificationEnabled(verifyHostname);
    }

    /** Where the broker's CA is looked for, as the operator configured it. */
    String trustSource() {
        return trustSource;
    }

    /** The client certificate offered to brokers that ask, or null when none is configured. */
    String clientIdentity() {
        return clientIdentity;
    }

    Handshake lastHandshake() {
        return lastHandshake;
    }

    @Override
    public String toString() {
        return "TLS trusting " + trustSource + (clientIdentity == null ? "" : ", client certificate " + clientIdentity);
    }

    /** Thrown (inside Paho's handshake exception) when the broker's certificate is refused, with the reason. */
    static final class BrokerCertificateRefused extends CertificateException {
        private static final long serialVersionUID = 1L;

        BrokerCertificateRefused(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Checks the chain first without the host name, then with it, so the two ways a broker certificate is refused
     * (no trusted CA, issued for another host) get their own message.
     */
    private final class ExplainingTrustManager extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager delegate;

        ExplainingTrustManager(X509ExtendedTrustManager delegate) {
            this.delegate = delegate;
        }

        private void check(X509Certificate[] chain, String authType, CertificateCheck withHost, String host)
                throws CertificateException {
            lastHandshake = Handshake.NOT_YET;
            try {
                delegate.checkServerTrusted(chain, authType);
            } catch (CertificateException e) {
                throw new BrokerCertificateRefused("its certificate (" + describe(chain[0])
                        + ") is not signed by a CA in " + trustSource + ": " + e.getMessage(), e);
            }
            try {
                withHost.run();
            } catch (CertificateException e) {
                throw new BrokerCertificateRefused("its certificate (" + describe(chain[0]) + ", names "
                        + names(chain[0]) + ") is not issued for host " + host + " of daf.mqtt.broker: connect by"
                        + " one of its names, or set " + VERIFY_HOSTNAME + "=false", e);
            }
            lastHandshake = Handshake.SERVER_TRUSTED;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            String host = socket instanceof SSLSocket s && s.getHandshakeSession() != null
                    ? s.getHandshakeSession().getPeerHost() : String.valueOf(socket.getInetAddress());
            check(chain, authType, () -> delegate.checkServerTrusted(chain, authType, socket), host);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            check(chain, authType, () -> delegate.checkServerTrusted(chain, authType, engine), engine.getPeerHost());
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain, authType, () -> { }, null);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }

    private interface CertificateCheck {
        void run() throws CertificateException;
    }

    private static String names(X509Certificate c) {
        try {
            Collection<List<?>> sans = c.getSubjectAlternativeNames();
            if (sans == null) {
                return "none besides the subject";
            }
            List<String> names = new ArrayList<>();
            for (List<?> san : sans) {
                int kind = (Integer) san.get(0);
                names.add((kind == 2 ? "DNS:" : kind == 7 ? "IP:" : "") + san.get(1));
            }
            return String.join(", ", names);
        } catch (CertificateException e) {
            return "unreadable";
        }
    }

    /** Notes whether the broker asked for a client certificate and whether one was sent. */
    private final class ReportingKeyManager extends X509ExtendedKeyManager {
        private final X509KeyManager delegate;

        ReportingKeyManager(X509KeyManager delegate) {
            this.delegate = delegate;
        }

        private String noted(String alias) {
            lastHandshake = alias == null ? Handshake.CLIENT_CERTIFICATE_MISSING : Handshake.CLIENT_CERTIFICATE_SENT;
            return alias;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return noted(delegate.chooseClientAlias(keyType, issuers, socket));
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return noted(delegate instanceof X509ExtendedKeyManager x
                    ? x.chooseEngineClientAlias(keyType, issuers, engine)
                    : delegate.chooseClientAlias(keyType, issuers, null));
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return delegate.getClientAliases(keyType, issuers);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return delegate.getServerAliases(keyType, issuers);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return delegate.chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return delegate.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return delegate.getPrivateKey(alias);
        }
    }
}
