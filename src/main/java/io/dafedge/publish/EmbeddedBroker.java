package io.dafedge.publish;

import java.io.IOException;
import java.util.List;
import java.util.Properties;

import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;

/**
 * The MQTT 3.1.1 broker the appliance starts itself when the site names none (Moquette, in process). It listens on
 * plain TCP only, keeps nothing on disk (the appliance's own store keeps the results) and never phones home.
 */
public final class EmbeddedBroker implements AutoCloseable {
    /** Large enough for a heat-map PNG of a big frame; Moquette's own default (8 KB) is not. */
    static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    private final Server server = new Server();
    private final String host;
    private final int port;

    private EmbeddedBroker(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** Starts a broker on {@code host:port}; port 0 picks a free port (tests). */
    public static EmbeddedBroker start(String host, int port) throws IOException {
        int bound = port == 0 ? FreePort.find() : port;
        EmbeddedBroker broker = new EmbeddedBroker(host, bound);
        Properties p = new Properties();
        p.setProperty(IConfig.HOST_PROPERTY_NAME, host);
        p.setProperty(IConfig.PORT_PROPERTY_NAME, Integer.toString(bound));
        p.setProperty(IConfig.WEB_SOCKET_PORT_PROPERTY_NAME, "disabled"); // its default, 8080, is our HTTP port
        p.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
        p.setProperty(IConfig.ENABLE_TELEMETRY_NAME, "false");
        p.setProperty(IConfig.ALLOW_ANONYMOUS_PROPERTY_NAME, "true");
        p.setProperty("allow_zero_byte_client_id", "true");
        p.setProperty("netty.mqtt.message_size", Integer.toString(MAX_MESSAGE_BYTES));
        try {
            broker.server.startServer(new MemoryConfig(p), List.of());
        } catch (IOException | RuntimeException e) {
            broker.server.stopServer();
            throw new IOException("embedded MQTT broker could not listen on " + host + ":" + bound + ": "
                    + e.getMessage() + " (is another broker running? set daf.mqtt.embedded-port or daf.mqtt.broker)", e);
        }
        return broker;
    }

    /** The URL a Paho client connects to. */
    public String url() {
        return "tcp://" + ("0.0.0.0".equals(host) ? "127.0.0.1" : host) + ":" + port;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        server.stopServer();
    }
}
