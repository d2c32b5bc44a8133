package io.dafedge.publish;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.jboss.logging.Logger;

/**
 * The appliance's one MQTT connection (Paho, MQTT 3.1.1). Publishing never blocks the caller and never buffers:
 * what cannot be handed to a live connection is refused and counted as failed. Results do not go through here
 * while the broker is away: they wait in the {@link Outbox} on disk, which resends them on every reconnect, and a
 * buffer of Paho's would send stale copies ahead of that resend, out of order. The will marks the appliance offline
 * on the retained status topic if the connection dies.
 */
public final class MqttPublisher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(MqttPublisher.class);
    private static final long MAX_RETRY_SECONDS = 30;

    /**
     * Where and as whom to connect; the password is never logged. {@code tls} (null for none) is used with ssl://
     * URLs only; an ssl:// URL without it trusts the JVM's default CAs.
     */
    public record Connection(String url, String clientId, String username, char[] password, MqttTls tls) {
        public Connection(String url, String clientId, String username, char[] password) {
            this(url, clientId, username, password, null);
        }

        public boolean secure() {
            return MqttTls.secure(url);
        }

        @Override
        public String toString() {
            return url + " as " + clientId + (username == null ? "" : " (user " + username + ")");
        }
    }

    private final MqttAsyncClient client;
    private final MqttConnectOptions options = new MqttConnectOptions();
    private final Connection connection;
    private final Will will;
    private volatile byte[] armedWill;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mqtt-connect");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
    private volatile String lastError;
    private volatile boolean closed;

    /**
     * Starts connecting in the background (retrying with backoff until the broker answers) and returns at once, so a
     * broker that is down at start-up delays no frame.
     */
    public MqttPublisher(Connection connection, String willTopic, byte[] willPayload) throws MqttException {
        this(connection, new Will(willTopic, () -> willPayload, true));
    }

    /**
     * The will the broker publishes (QoS 1) if the connection dies. Its payload is taken anew for each connection
     * (the first, each retry, and before Paho's automatic reconnects), since Sparkplug's NDEATH carries a number that
     * changes with every connection.
     */
    public record Will(String topic, Supplier<byte[]> payload, boolean retained) {
    }

    /** As {@link #MqttPublisher(Connection, String, byte[])}, with a will whose payload changes per connection. */
    public MqttPublisher(Connection connection, Will will) throws MqttException {
        this.connection = connection;
        this.will = will;
        client = new MqttAsyncClient(connection.url(), connection.clientId(), new MemoryPersistence());
        options.setCleanSession(true);
        options.setAutomaticReconnect(true);
        options.setMaxReconnectDelay((int) MAX_RETRY_SECONDS * 1000);
        options.setKeepAliveInterval(30);
        options.setMaxInflight(1000);
        if (connection.username() != null) {
            options.setUserName(connection.username());
            options.setPassword(connection.password());
        }
        if (connection.secure()) {
            (connection.tls() != null ? connection.tls() : MqttTls.load(MqttTls.Settings.none())).applyTo(options);
        }
        client.setCallback(new Callbacks());
        connect(1);
    }

    // ---- subscriptions: kept here and made again on every connect, since a clean session forgets them ----

    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();

    private record Subscription(String filter, int qos, BiConsumer<String, byte[]> handler) {
    }

    /** The SUBACK return code of a refused subscription (MQTT 3.1.1, 3.9.3). */
    private static final int SUBSCRIPTION_REFUSED = 0x80;

    /**
     * Subscribes {@code handler} to {@code filter} now if connected, and again after every later connect (the
     * first, Paho's automatic reconnects, and this class's own retries). The handler runs on Paho's thread, so it
     * must hand long work elsewhere; what it throws is logged and goes no further, because an exception escaping a
     * Paho listener would drop the connection.
     */
    public void subscribe(String filter, int qos, BiConsumer<String, byte[]> handler) {
        Subscription s = new Subscription(filter, qos, handler);
        subscriptions.put(filter, s);
        if (client.isConnected()) {
            subscribeNow(s);
        }
    }

    private void subscribeNow(Subscription s) {
        try {
            client.subscribe(s.filter(), s.qos(), null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    int[] granted = token.getGrantedQos();
                    if (granted != null && granted.length > 0 && granted[0] == SUBSCRIPTION_REFUSED) {
                        LOG.errorf("MQTT subscription to %s refused by the broker (its access rules?)", s.filter());
                    } else {
                        LOG.infof("MQTT subscribed to %s", s.filter());
                    }
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    LOG.errorf("MQTT subscription to %s failed: %s", s.filter(), e.getMessage());
                }
            }, (topic, message) -> {
                try {
                    s.handler().accept(topic, message.getPayload());
                } catch (RuntimeException e) {
                    LOG.errorf(e, "MQTT message on %s not handled", topic);
                }
            });
        } catch (MqttException | RuntimeException e) {
            LOG.errorf("MQTT subscription to %s failed: %s", s.filter(), e.getMessage());
        }
    }

    /**
     * Paho's one callback: on every connection made, renews the subscriptions and tells the listeners; on a lost
     * one, tells them too. Paho takes a single callback per client, so both concerns live here.
     */
    private final class Callbacks implements MqttCallbackExtended {
        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            subscriptions.values().forEach(MqttPublisher.this::subscribeNow);
            listeners.forEach(ConnectionListener::connected);
        }

        @Override
        public void connectionLost(Throwable cause) {
            lastError = String.valueOf(cause == null ? "connection lost" : cause.getMessage());
            LOG.warnf("MQTT connection to %s lost (%s); reconnecting", connection, lastError);
            armWill();
            listeners.forEach(ConnectionListener::lost);
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            // each subscription has its own listener
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // each publish has its own listener
        }
    }

    /** The will of the next connection; Paho keeps this options object for its automatic reconnects too. */
    private void armWill() {
        armedWill = will.payload().get();
        options.setWill(will.topic(), armedWill, 1, will.retained());
    }

    private void connect(long delaySeconds) {
        if (closed) {
            return;
        }
        try {
            armWill();
            client.connect(options, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    lastError = null;
                    LOG.infof("MQTT connected to %s", connection);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    retry(delaySeconds, e);
                }
            });
        } catch (MqttException e) {
            retry(delaySeconds, e);
        }
    }

    private void retry(long delaySeconds, Throwable e) {
        if (closed) {
            return;
        }
        BrokerRefusals.Reason why = BrokerRefusals.explain(e, connection);
        lastError = why.text();
        LOG.logf(why.refused() ? Logger.Level.ERROR : Logger.Level.WARN, "MQTT broker %s: %s; retrying in %d s",
                connection, lastError, delaySeconds);
        retries.schedule(() -> connect(Math.min(delaySeconds * 2, MAX_RETRY_SECONDS)), delaySeconds, TimeUnit.SECONDS);
    }

    /** Told, on Paho's thread, of every connection made (the first and each automatic reconnect) and lost. */
    public interface ConnectionListener {
        void connected();

        void lost();
    }

    public void addConnectionListener(ConnectionListener listener) {
        listeners.add(listener);
    }

    /** Hands a message to the live connection; returns false (and counts it) when it cannot. */
    public boolean publish(String topic, byte[] payload, int qos, boolean retained) {
        return send(topic, payload, qos, retained, ok -> { });
    }

    /**
     * Like {@link #publish}, and {@code done} hears true when the broker acknowledged the message (QoS 1; QoS 0:
     * when it was written), false when it failed in flight. Not called when this returns false.
     */
    public boolean send(String topic, byte[] payload, int qos, boolean retained, Consumer<Boolean> done) {
        try {
            client.publish(topic, payload, qos, retained, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    published.incrementAndGet();
                    done.accept(true);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    failed.incrementAndGet();
                    lastError = String.valueOf(e.getMessage());
                    done.accept(false);
                }
            });
            return true;
        } catch (MqttException | RuntimeException e) {
            failed.incrementAndGet();
            lastError = String.valueOf(e.getMessage());
            return false;
        }
    }

    public boolean connected() {
        return client.isConnected();
    }

    /** Messages the broker acknowledged (QoS 1) or took (QoS 0). */
    public long published() {
        return published.get();
    }

    /** Messages not delivered: refused while not connected, or failed in flight. */
    public long failed() {
        return failed.get();
    }

    /** The last connection or publishing error, null while all is well. */
    public String lastError() {
        return lastError;
    }

    /**
     * Waits briefly for what is in flight, then disconnects cleanly. A clean disconnect does not fire the will, so
     * with {@code publishWill} the connection's will is published first, as the appliance's last word.
     */
    public void close(boolean publishWill) {
        closed = true;
        retries.shutdownNow();
        try {
            if (client.isConnected()) {
                if (publishWill) {
                    client.publish(will.topic(), armedWill, 1, will.retained()).waitForCompletion(2000);
                }
                client.disconnect(2000).waitForCompletion(3000);
            }
        } catch (MqttException e) {
            LOG.warnf("MQTT disconnect from %s: %s", connection, e.getMessage());
        } finally {
            try {
                client.close(true);
            } catch (MqttException e) {
                LOG.debugf("closing MQTT client: %s", e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        close(false);
    }
}
