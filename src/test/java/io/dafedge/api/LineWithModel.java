package io.dafedge.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.dafedge.synth.TestImages;
import io.dafedge.train.FirstModel;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * An appliance with a real model: before Quarkus boots, fits the demo line's first model (PaDiM on the shared
 * teacher, as the appliance does at first start) and configures line "line1" with it, an upload camera "cam1", a
 * hot-folder camera "hot", a fresh data folder and an embedded broker on a free port. Without ../shared it
 * configures nothing and the tests that need it skip.
 * <p>
 * With the init arg {@link #EXTERNAL} = true it also starts a real mosquitto and points the appliance at it instead
 * of the embedded broker, and serves a test MJPEG stream with ffmpeg for camera "stream" on line1. The tools must be
 * installed (.ci/run does it); only with DAF_SKIP_EXTERNAL=1 does their absence skip instead of fail.
 */
public class LineWithModel implements QuarkusTestResourceLifecycleManager {
    public static final String HOT = "hot";
    /** Fewer parts than the appliance's 160, for time; the test parts are clear-cut enough for it. */
    static final int TRAINING_PARTS = 48;
    public static final String STREAM = "stream";
    public static final String EXTERNAL = "external";
    /** Set only when the external services run: their absence tells a test to skip. */
    static final String MQTT_PORT = "test.mqtt-port";
    static final String MOSQUITTO_SUB = "test.mosquitto-sub";
    static final long MAX_UPLOAD_MB = 1;
    private static final List<String> TOOLS = List.of("mosquitto", "mosquitto_sub", "ffmpeg");
    private static final long BROKER_START_MS = 10_000;

    private boolean external;
    private final List<Process> processes = new ArrayList<>();

    @Override
    public void init(Map<String, String> initArgs) {
        external = Boolean.parseBoolean(initArgs.get(EXTERNAL));
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>();
        Path shared = TestImages.shared();
        Map<String, Path> tools = external ? tools() : Map.of();
        if (shared == null || tools == null) {
            return config;
        }
        try {
            Path root = Path.of("target", "e2e-" + System.nanoTime()).toAbsolutePath();
            Path teacher = shared.resolve("models").resolve("mobilenetv2-float-from-int8_feat.onnx");
            FirstModel.Result model = FirstModel.fitDemo(teacher, root.resolve("parts"), root.resolve("model"),
                    TRAINING_PARTS, msg -> { });
            Path hot = Files.createDirectories(root.resolve(HOT));
            config.put("daf.data-dir", root.resolve("data").toString());
            config.put("daf.mqtt.embedded-port", Integer.toString(freePort()));
            config.put("daf.ingest.max-upload-mb", Long.toString(MAX_UPLOAD_MB));
            config.put("daf.cameras.cam1.line", "line1");
            config.put("daf.cameras.cam1.source", "http");
            config.put("daf.cameras.hot.line", "line1");
            config.put("daf.cameras.hot.source", "folder:" + hot);
            config.put("daf.lines.line1.model", model.bundle().dir().toString());
            config.put("daf.lines.line1.threshold", Float.toString(model.threshold().threshold()));
            config.put("test.hot-folder", hot.toString());
            if (external) {
                startExternal(tools, root, config);
            }
            return config;
        } catch (Exception e) {
            stop();
            throw new IllegalStateException("could not prepare the test line: " + e.getMessage(), e);
        }
    }

    /** The external tools by name; null when some are missing and DAF_SKIP_EXTERNAL=1 allows skipping. */
    private static Map<String, Path> tools() {
        Map<String, Path> found = new HashMap<>();
        List<String> missing = new ArrayList<>();
        for (String name : TOOLS) {
            Optional<Path> p = Subprocesses.find(name);
            p.ifPresentOrElse(path -> found.put(name, path), () -> missing.add(name));
        }
        if (missing.isEmpty()) {
            return found;
        }
        if ("1".equals(System.getenv("DAF_SKIP_EXTERNAL"))) {
            return null;
        }
        throw new IllegalStateException("the external-broker test needs " + missing + ", not found on the PATH or"
                + " in /usr/sbin: apt-get install mosquitto mosquitto-clients ffmpeg (as .ci/run does), or set"
                + " DAF_SKIP_EXTERNAL=1 to skip the test");
    }

    private void startExternal(Map<String, Path> tools, Path root, Map<String, String> config)
            throws IOException, InterruptedException {
        int mqttPort = freePort();
        Path conf = root.resolve("mosquitto.conf");
        Path brokerLog = root.resolve("mosquitto.log");
        // stderr rather than a log file: mosquitto drops root privileges before it writes, and stderr also
        // carries the errors it reports before reading its configuration
        Files.writeString(conf, String.join("\n", "listener " + mqttPort + " 127.0.0.1", "allow_anonymous true",
                "persistence false", "log_dest stderr", ""));
        Process broker = Subprocesses.start(brokerLog,
                List.of(tools.get("mosquitto").toString(), "-c", conf.toString()));
        processes.add(broker);
        awaitListening(broker, mqttPort, brokerLog);

        // ffmpeg's -listen 1 serves exactly one client and exits when it leaves, so nothing may probe the port
        // before the appliance connects: the MJPEG source's reconnect backoff covers the moment ffmpeg needs to bind
        String url = "http://127.0.0.1:" + freePort() + "/x.mjpg";
        processes.add(Subprocesses.start(root.resolve("ffmpeg.log"), List.of(tools.get("ffmpeg").toString(),
                "-hide_banner", "-nostdin", "-loglevel", "warning", "-re", "-f", "lavfi",
                "-i", "testsrc=size=320x240:rate=10", "-c:v", "mjpeg", "-f", "mpjpeg", "-listen", "1", url)));

        config.put("daf.mqtt.broker", "tcp://127.0.0.1:" + mqttPort);
        config.put("daf.cameras." + STREAM + ".line", "line1");
        config.put("daf.cameras." + STREAM + ".source", "mjpeg:" + url);
        config.put("daf.cameras." + STREAM + ".max-fps", "2");
        config.put(MQTT_PORT, Integer.toString(mqttPort));
        config.put(MOSQUITTO_SUB, tools.get("mosquitto_sub").toString());
    }

    /** Waits until mosquitto accepts connections, so the appliance's first connect does not start its backoff. */
    public static void awaitListening(Process p, int port, Path log) throws IOException, InterruptedException {
        long end = System.currentTimeMillis() + BROKER_START_MS;
        while (System.currentTimeMillis() < end) {
            if (!p.isAlive()) {
                throw new IOException("mosquitto exited with " + p.exitValue() + ": " + Files.readString(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IOException("mosquitto not listening on port " + port + " after " + BROKER_START_MS + " ms: "
                + Files.readString(log));
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        processes.forEach(Subprocesses::stop);
        processes.clear();
    }
}
