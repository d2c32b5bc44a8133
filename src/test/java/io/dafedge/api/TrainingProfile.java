package io.dafedge.api;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.dafedge.synth.ImageFiles;
import io.dafedge.synth.TestImages;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * An appliance to train on: an upload camera on line1 (no demo line, so no first model is fitted), the shared teacher
 * (when ../shared is there) and 128-px models, for time.
 */
public class TrainingProfile implements QuarkusTestProfile {
    public static final Path DATA = Path.of("target", "test-data-training").toAbsolutePath();

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>();
        config.put("daf.data-dir", DATA.toString());
        config.put("daf.cameras.cam1.line", "line1");
        config.put("daf.cameras.cam1.source", "http");
        config.put("daf.training.size", "128");
        Path shared = TestImages.shared();
        if (shared != null) {
            config.put("daf.teacher", shared.resolve("models/mobilenetv2-float-from-int8_feat.onnx").toString());
        }
        return config;
    }

    /** Line1's collected folder with {@code n} magnetic-tile frames, as PNGs (the appliance keeps them so). */
    public static void collect(int n) throws Exception {
        Path dir = Files.createDirectories(DATA.resolve("lines/line1/collected"));
        try (Stream<Path> s = Files.list(TestImages.shared().resolve("datasets/magnetic-tile/train/good"))) {
            List<Path> goods = s.sorted().limit(n).toList();
            for (int i = 0; i < goods.size(); i++) {
                ImageFiles.writePng(dir.resolve(String.format("cam1-%02d.png", i)), ImageFiles.read(goods.get(i)));
            }
        }
    }
}
