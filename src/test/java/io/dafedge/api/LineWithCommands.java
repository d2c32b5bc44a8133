package io.dafedge.api;

import java.nio.file.Path;
import java.util.Map;

import io.dafedge.synth.TestImages;
import io.dafedge.train.FirstModel;

/**
 * {@link LineWithModel} with MES commands enabled behind a token, and a second model the appliance knows: a bundle
 * fitted on fewer demo parts, in the data folder's {@code models/}, for switch-model.
 */
public class LineWithCommands extends LineWithModel {
    static final String TOKEN = "e2e-secret";
    static final String SECOND_MODEL = "test.second-model";
    static final String SECOND_THRESHOLD = "test.second-threshold";
    private static final int SECOND_PARTS = 12;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = super.start();
        if (config.isEmpty()) {
            return config;
        }
        try {
            Path data = Path.of(config.get("daf.data-dir"));
            FirstModel.Result second = FirstModel.fitDemo(TestImages.teacher(), data.resolveSibling("parts-second"),
                    data.resolve("models").resolve("second"), SECOND_PARTS, msg -> { });
            config.put(SECOND_MODEL, second.bundle().id());
            config.put(SECOND_THRESHOLD, Float.toString(second.threshold().threshold()));
        } catch (Exception e) {
            stop();
            throw new IllegalStateException("could not fit the second model: " + e.getMessage(), e);
        }
        config.put("daf.mqtt.commands.enabled", "true");
        config.put("daf.mqtt.commands.token", TOKEN);
        return config;
    }
}
