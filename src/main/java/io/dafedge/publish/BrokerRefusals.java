package io.dafedge.publish;

import java.io.EOFException;
import java.net.SocketException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLException;

import org.eclipse.paho.client.mqttv3.MqttException;

/**
 * Turns what Paho reports about a failed connection (a reason code, a cause several levels deep) into a sentence an
 * operator can act on: which side refused what, and which setting to look at. Never includes a password: Paho's
 * messages carry none, and the connection prints without it.
 */
final class BrokerRefusals {
    private static final Pattern ALERT = Pattern.compile("Received fatal alert: (\\w+)");

    private BrokerRefusals() {
    }

    /** Why a connection attempt failed; {@code refused} when the broker is there but said no (needs a person). */
    record Reason(String text, boolean refused) {
    }

    static Reason explain(Throwable failure, MqttPublisher.Connection c) {
        if (failure instanceof MqttException m && (m.getReasonCode() == MqttException.REASON_CODE_FAILED_AUTHENTICATION
                || m.getReasonCode() == MqttException.REASON_CODE_NOT_AUTHORIZED)) {
            return refused(c.username() == null
                    ? "the broker refused an anonymous login (" + m.getMessage() + "): set daf.mqtt.username and"
                            + " daf.mqtt.password (or DAF_MQTT_USERNAME / DAF_MQTT_PASSWORD)"
                    : "the broker refused user '" + c.username() + "' (" + m.getMessage() + "): check"
                            + " daf.mqtt.username and daf.mqtt.password (or DAF_MQTT_PASSWORD), and the broker's"
                            + " access rules for that user");
        }
        MqttTls.BrokerCertificateRefused ours = cause(failure, MqttTls.BrokerCertificateRefused.class);
        if (ours != null) {
            return refused("TLS: daf-edge refused the broker: " + ours.getMessage());
        }
        MqttTls tls = c.tls();
        if (tls != null) {
            Reason r = explainTls(failure, tls);
            if (r != null) {
                return r;
            }
        }
        return new Reason("not reachable (" + detail(failure) + ")", false);
    }

    private static Reason explainTls(Throwable failure, MqttTls tls) {
        SSLException ssl = cause(failure, SSLException.class);
        Matcher alert = ALERT.matcher(ssl == null ? "" : String.valueOf(ssl.getMessage()));
        MqttTls.Handshake handshake = tls.lastHandshake();
        if (alert.find()) {
            String name = alert.group(1);
            if (name.contains("certificate") || name.equals("unknown_ca") || name.equals("access_denied")
                    || name.equals("decrypt_error")) {
                return clientCertificateRefused(tls, handshake, "TLS alert " + name);
            }
            return refused("TLS: the broker ended the handshake (TLS alert " + name + "): it shares no TLS version or"
                    + " cipher with daf-edge, or refuses it for another reason; see the broker's log");
        }
        // with TLS 1.3 the broker checks the client certificate after the client has finished its handshake, so a
        // refusal often shows up as the socket closing under Paho's first write or read
        boolean hungUp = cause(failure, SocketException.class) != null || cause(failure, EOFException.class) != null
                || ssl != null;
        if (hungUp && (handshake == MqttTls.Handshake.CLIENT_CERTIFICATE_SENT
                || handshake == MqttTls.Handshake.CLIENT_CERTIFICATE_MISSING)) {
            return clientCertificateRefused(tls, handshake, "it closed the connection: " + detail(failure));
        }
        if (ssl != null) {
            return refused("TLS handshake failed: " + detail(failure));
        }
        return null;
    }

    private static Reason clientCertificateRefused(MqttTls tls, MqttTls.Handshake handshake, String how) {
        if (handshake == MqttTls.Handshake.CLIENT_CERTIFICATE_MISSING || tls.clientIdentity() == null) {
            return refused("TLS: the broker requires a client certificate and daf-edge has none (" + how + "): set"
                    + " daf.mqtt.tls.key-store, or daf.mqtt.tls.certificate and daf.mqtt.tls.key");
        }
        return refused("TLS: the broker refused daf-edge's client certificate (" + tls.clientIdentity() + "; " + how
                + "): the broker does not trust its issuer (mosquitto: cafile), or it is expired or revoked");
    }

    private static Reason refused(String text) {
        return new Reason(text, true);
    }

    private static <T extends Throwable> T cause(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    /** Paho's own message (often only "MqttException") and the innermost cause, which says what really happened. */
    private static String detail(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String outer = String.valueOf(t.getMessage());
        return root == t ? outer : outer + ": " + root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
