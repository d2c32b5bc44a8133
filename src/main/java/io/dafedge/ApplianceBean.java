package io.dafedge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.eclipse.paho.client.mqttv3.MqttException;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dafedge.command.CommandListener;
import io.dafedge.command.CommandPolicy;
import io.dafedge.command.Commands;
import io.dafedge.ingest.CameraSettings;
import io.dafedge.ingest.FrameSources;
import io.dafedge.inspect.Appliance;
import io.dafedge.inspect.InspectionMetrics;
import io.dafedge.inspect.Inspector;
import io.dafedge.inspect.LineModels;
import io.dafedge.inspect.LineSetup;
import io.dafedge.inspect.Postprocess;
import io.dafedge.inspect.ResultSink;
import io.dafedge.model.ModelCatalog;
import io.dafedge.publish.EmbeddedBroker;
import io.dafedge.publish.MessageEncoding;
import io.dafedge.publish.MqttPublisher;
import io.dafedge.publish.MqttTls;
import io.dafedge.publish.Outbox;
import io.dafedge.publish.OutboxMetrics;
import io.dafedge.publish.ResultMessages;
import io.dafedge.publish.ResultPublisher;
import io.dafedge.publish.StatusMessages;
import io.dafedge.publish.Topics;
import io.dafedge.publish.sparkplug.ApplianceState;
import io.dafedge.publish.sparkplug.SparkplugIds;
import io.dafedge.publish.sparkplug.SparkplugMode;
import io.dafedge.store.CandidateFrames;
import io.dafedge.store.DataDirectory;
import io.dafedge.store.LineRepository;
import io.dafedge.store.ResultRepository;
import io.dafedge.store.ResultWriter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The composition root of the running appliance: builds the plain parts from the configuration, starts them in
 * order (broker, MQTT connection, store writer, cameras, line models) and stops them in reverse.
 */
@ApplicationScoped
public class ApplianceBean {
    private static final Logger LOG = Logger.getLogger(ApplianceBean.class);
    static final String DEMO = "demo";
    private static final int STATUS_SECONDS = 10;
    private static final int CANDIDATES_PER_LINE = 1000;
    private static final int STORE_QUEUE = 2000;

    private final DafConfig config;
    private final DataDirectory dataDir;
    private final ResultRepository results;
    private final LineRepository lines;
    private final MeterRegistry registry;

    private EmbeddedBroker broker;
    private MqttPublisher mqtt;
    private SparkplugMode sparkplug;
    // read by the Sparkplug births on Paho's thread, which may come before they are set
    private volatile Outbox outbox;
    private Topics topics;
    private ResultWriter writer;
    private volatile Appliance appliance;
    private CandidateFrames candidates;
    private LineSetup setup;
    private CommandListener commands;
    private ScheduledExecutorService housekeeping;
    private final Instant startedAt = Instant.now();
    private final Map<String, long[]> lastCounts = new HashMap<>();
    private final Map<String, Double> rates = new HashMap<>();

    ApplianceBean(DafConfig config, DataDirectory dataDir, ResultRepository results, LineRepository lines,
            MeterRegistry registry) {
        this.config = config;
        this.dataDir = dataDir;
        this.results = results;
        this.lines = lines;
        this.registry = registry;
    }

    void start(@Observes StartupEvent event) {
        topics = new Topics(config.site());
        List<CameraSettings> cameras = cameraSettings(config);
        DafConfig.Sparkplug sp = config.mqtt().sparkplug();
        if (config.mqtt().payload() == DafConfig.Payload.SPARKPLUG) {
            sparkplug = new SparkplugMode(new SparkplugIds(sp.group(), sp.node().orElse(config.site())),
                    dataDir.root().resolve("sparkplug-bdseq"), config.site(), config.mqtt().heatmaps(), sp.dataQos(),
                    new ApplianceState(cameras, () -> appliance, () -> outbox));
        }
        byte[] offline = ResultMessages.bytes(StatusMessages.offline(config.site()));
        startMqtt(sparkplug != null ? sparkplug.will() : new MqttPublisher.Will(topics.status(), () -> offline, true));
        try {
            outbox = new Outbox(dataDir.root().resolve("outbox"), config.mqtt().outbox().maxMb() * 1024 * 1024, mqtt,
                    sparkplug != null ? sparkplug : MessageEncoding.json(topics));
        } catch (IOException e) {
            throw new UncheckedIOException("the MQTT outbox folder is not usable: " + e.getMessage(), e);
        }
        if (sparkplug != null) {
            sparkplug.listen(mqtt, outbox);
        }
        writer = new ResultWriter(STORE_QUEUE, results::saveAll);
        candidates = new CandidateFrames(dataDir.root().resolve("lines"), CANDIDATES_PER_LINE,
                cameras.stream().collect(Collectors.toMap(CameraSettings::id, c -> c)));
        InspectionMetrics metrics = new InspectionMetrics(registry);
        List<ResultSink> sinks = List.of(new ResultPublisher(outbox, config.site(), config.mqtt().heatmaps()), writer,
                metrics, candidates);
        LineModels models = new LineModels();
        appliance = new Appliance(cameras, models, new Inspector(models::current, new Postprocess(),
                Clock.systemUTC(), Inspector.picturesKept(config.store().okImages()),
                Inspector.overlaysMade(config.mqtt().heatmaps() && config.mqtt().okHeatmaps(),
                        config.store().okImages())), sinks, FrameSources::create);
        appliance.cameras().forEach(metrics::register);
        registerOutputMeters();
        for (CameraSettings c : cameras) {
            lines.cameraConfigured(c.id(), c.line(), c.source());
        }
        appliance.start();
        setup = new LineSetup(models, lines, 2);
        for (String line : appliance.lines()) {
            DafConfig.Line lc = config.lines().get(line);
            boolean demo = cameras.stream().anyMatch(c -> c.line().equals(line) && DEMO.equals(c.source()));
            setup.start(line, lc == null ? Optional.empty() : lc.model(),
                    lc == null ? OptionalDouble.empty() : lc.threshold(), config.teacher(),
                    demo ? dataDir.root().resolve("lines").resolve(line) : null);
        }
        startCommands();
        housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "housekeeping");
            t.setDaemon(true);
            return t;
        });
        housekeeping.scheduleAtFixedRate(this::publishStatus, 0, STATUS_SECONDS, TimeUnit.SECONDS);
        mqtt.addConnectionListener(new MqttPublisher.ConnectionListener() {
            @Override
            public void connected() {
                try {
                    housekeeping.execute(ApplianceBean.this::publishStatus); // a fresh status right after an outage
                } catch (RejectedExecutionException stopping) {
                    // shutting down: the offline status follows
                }
            }

            @Override
            public void lost() {
                // the will tells subscribers
            }
        });
        housekeeping.scheduleAtFixedRate(this::retention, 1, 60, TimeUnit.MINUTES);
        LOG.infof("appliance running: site %s, %d camera(s) on line(s) %s", config.site(), cameras.size(),
                appliance.lines());
    }

    /** What became of results after inspection: stored, published, or lost on the way, where Prometheus sees it. */
    private void registerOutputMeters() {
        FunctionCounter.builder("daf.results.stored", writer, ResultWriter::stored)
                .description("results written to the database").register(registry);
        FunctionCounter.builder("daf.results.store.dropped", writer, ResultWriter::dropped)
                .description("results never stored: the store queue was full, or the appliance stopped").register(registry);
        Gauge.builder("daf.results.store.pending", writer, ResultWriter::pending)
                .description("results waiting for the database").register(registry);
        FunctionCounter.builder("daf.mqtt.published", mqtt, MqttPublisher::published)
                .description("messages the broker took").register(registry);
        FunctionCounter.builder("daf.mqtt.failed", mqtt, MqttPublisher::failed)
                .description("messages not delivered: refused while not connected, or failed in flight")
                .register(registry);
        Gauge.builder("daf.mqtt.connected", mqtt, m -> m.connected() ? 1 : 0)
                .description("1 while connected to the broker").register(registry);
        OutboxMetrics.register(registry, outbox);
    }

    /** The configured cameras, or the demo camera on the demo line when none is configured. */
    static List<CameraSettings> cameraSettings(DafConfig config) {
        List<CameraSettings> list = new ArrayList<>();
        if (config.cameras().isEmpty()) {
            list.add(new CameraSettings(DEMO, DEMO, DEMO, Optional.empty(), 0, 0, 8));
            return list;
        }
        config.cameras().forEach((id, c) -> {
            Topics.checked("camera", id);
            Topics.checked("line", c.line());
            list.add(new CameraSettings(id, c.line(), c.source(), c.roi().map(CameraSettings.Roi::parse),
                    c.rotation(), c.maxFps(), c.queue()));
        });
        return list;
    }

    private void startMqtt(MqttPublisher.Will will) {
        String url;
        if (config.mqtt().broker().isPresent()) {
            url = config.mqtt().broker().get();
        } else {
            try {
                broker = EmbeddedBroker.start(config.mqtt().embeddedHost(), config.mqtt().embeddedPort());
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
            url = broker.url();
            LOG.infof("embedded MQTT broker on %s", url);
        }
        DafConfig.Tls t = config.mqtt().tls();
        MqttTls.Settings tls = new MqttTls.Settings(t.trustStore(), t.trustStorePassword(), t.keyStore(),
                t.keyStorePassword(), t.certificate(), t.key(), t.verifyHostname());
        MqttPublisher.Connection connection = new MqttPublisher.Connection(url,
                config.mqtt().clientId().orElse("daf-edge-" + config.site()),
                config.mqtt().username().orElse(null),
                config.mqtt().password().map(String::toCharArray).orElse(null),
                MqttTls.secure(url) ? MqttTls.load(tls) : null);
        if (connection.tls() != null) {
            LOG.infof("MQTT over TLS: %s", connection.tls());
        } else if (tls.configured()) {
            LOG.warnf("daf.mqtt.tls.* is set but the broker URL %s is not ssl://: the connection is NOT encrypted"
                    + " and the TLS settings are ignored", url);
        }
        try {
            mqtt = new MqttPublisher(connection, will);
        } catch (MqttException e) {
            throw new IllegalStateException("MQTT broker URL " + url + " is not usable: " + e.getMessage(), e);
        }
    }

    /**
     * Listens for the MES's commands when the site enables them. The models a command may switch to are the ones
     * this appliance knows: the configured and remembered line models, the bundles in the data folder's
     * {@code models/}, and first models made on the box.
     */
    private void startCommands() {
        DafConfig.Commands c = config.mqtt().commands();
        if (!c.enabled()) {
            return;
        }
        CommandPolicy policy = new CommandPolicy(c.token().orElse(null), c.allowed());
        if (!policy.requiresToken()) {
            LOG.warn("MQTT commands are enabled without daf.mqtt.commands.token: anyone who can publish to the "
                    + "broker can command this appliance");
        }
        List<String> lineIds = appliance.lines();
        ModelCatalog catalog = new ModelCatalog(() -> {
            List<Path> named = new ArrayList<>();
            config.lines().values().forEach(l -> l.model().ifPresent(named::add));
            lineIds.forEach(l -> lines.load(l).ifPresent(saved -> named.add(saved.model())));
            return named;
        }, Stream.concat(Stream.of(dataDir.root().resolve("models")),
                lineIds.stream().map(l -> dataDir.root().resolve("lines").resolve(l))).toList());
        commands = new CommandListener(topics, new Commands(policy, appliance, setup, catalog),
                (topic, payload) -> mqtt.publish(topic, payload, 1, false), Clock.systemUTC());
        FunctionCounter.builder("daf.commands", commands, CommandListener::accepted).tag("status", "accepted")
                .description("MES commands carried out").register(registry);
        FunctionCounter.builder("daf.commands", commands, CommandListener::rejected).tag("status", "rejected")
                .description("MES commands refused (malformed, unauthorised, invalid, or the queue full)")
                .register(registry);
        mqtt.subscribe(topics.commands(), 1, commands::message);
        LOG.infof("MQTT commands enabled on %s (allowed: %s)", topics.commands(), c.allowed());
    }

    private synchronized void publishStatus() {
        try {
            Instant now = Instant.now();
            for (Appliance.Camera c : appliance.cameras()) {
                long[] last = lastCounts.computeIfAbsent(c.settings().id(), k -> new long[] {0, System.nanoTime()});
                long n = c.worker().inspected();
                long t = System.nanoTime();
                double seconds = (t - last[1]) / 1e9;
                rates.put(c.settings().id(), seconds > 0 ? (n - last[0]) / seconds : 0);
                last[0] = n;
                last[1] = t;
            }
            if (sparkplug != null) {
                sparkplug.publishCounts(outbox); // Sparkplug's node and device data stand for the JSON status
                return;
            }
            ObjectNode status = StatusMessages.online(config.site(), startedAt, now, appliance.cameras(),
                    id -> rates.getOrDefault(id, 0.0), mqtt, outbox);
            if (commands != null) {
                status.putObject("commands").put("accepted", commands.accepted()).put("rejected", commands.rejected());
            }
            mqtt.publish(topics.status(), ResultMessages.bytes(status), 1, true);
        } catch (RuntimeException e) {
            LOG.warnf("status not published: %s", e.getMessage());
        }
    }

    private void retention() {
        try {
            long removed = results.applyRetention(Instant.now());
            if (removed > 0) {
                LOG.infof("retention removed %d stored rows", removed);
            }
        } catch (RuntimeException e) {
            LOG.warnf("retention not applied: %s", e.getMessage());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (housekeeping != null) {
            housekeeping.shutdownNow();
        }
        if (commands != null) {
            commands.close();
        }
        if (appliance != null) {
            appliance.close();
        }
        if (writer != null) {
            writer.close();
        }
        if (outbox != null) {
            outbox.close();
        }
        if (mqtt != null) {
            mqtt.close(true); // the offline status, or Sparkplug's NDEATH
        }
        if (broker != null) {
            broker.close();
        }
    }

    public Appliance appliance() {
        return appliance;
    }

    public MqttPublisher mqtt() {
        return mqtt;
    }

    public Outbox outbox() {
        return outbox;
    }

    public CandidateFrames candidates() {
        return candidates;
    }

    public LineSetup setup() {
        return setup;
    }

    /** Frames per second inspected per camera over the last status period. */
    public synchronized double rate(String camera) {
        return rates.getOrDefault(camera, 0.0);
    }
}
