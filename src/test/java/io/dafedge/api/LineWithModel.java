package io.dafedge.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.dafedge.synth.TestImages;
import io.dafedge.train.FirstModel;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * An appliance with a real model: before Quarkus boots, fits the demo line's first model (PaDiM on the shared
 * teacher, as the appliance does at first start) and configures line "line1" with it, an upload camera "cam1", a
 * hot-folder camera "hot", a fresh data folder and an embedded broker on a free port. Without ../shared it
 * configures nothing and the tests that need it skip.
 */
public class LineWithModel implements QuarkusTestResourceLifecycleManager {
    public static final String HOT = "hot";
    static final long MAX_UPLOAD_MB = 1;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>();
        Path shared = TestImages.shared();
        if (shared == null) {
            return config;
        }
        try {
            Path root = Path.of("target", "e2e-" + System.nanoTime()).toAbsolutePath();
            Path teacher = shared.resolve("models").resolve("mobilenetv2-float-from-int8_feat.onnx");
            FirstModel.Result model = FirstModel.fitDemo(teacher, root.resolve("parts"), root.resolve("model"),
                    msg -> { });
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
            return config;
        } catch (Exception e) {
            throw new IllegalStateException("could not prepare the test line's model: " + e.getMessage(), e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
    }
}
