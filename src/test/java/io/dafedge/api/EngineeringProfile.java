package io.dafedge.api;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * An appliance of its own for the models and settings tests: an upload camera "cam1" on line "line1" with no
 * model, and a fresh data folder (the tests switch models and set ROIs, which the database remembers).
 */
public class EngineeringProfile implements QuarkusTestProfile {
    public static final String CAMERA = "cam1";
    public static final String LINE = "line1";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("daf.cameras." + CAMERA + ".line", LINE, "daf.cameras." + CAMERA + ".source", "http",
                "daf.data-dir", "./target/engineering-" + System.nanoTime());
    }
}
