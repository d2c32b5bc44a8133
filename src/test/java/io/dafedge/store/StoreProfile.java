package io.dafedge.store;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The store on its own: a small picture limit so retention can be seen, and an upload camera configured so the demo
 * camera does not write into the tables the tests count.
 */
public class StoreProfile implements QuarkusTestProfile {
    static final int MAX_IMAGES = 3;
    static final int RETENTION_DAYS = 90;

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>();
        config.put("daf.store.max-images", Integer.toString(MAX_IMAGES));
        config.put("daf.store.retention-days", Integer.toString(RETENTION_DAYS));
        config.put("daf.cameras.store.line", "store");
        config.put("daf.cameras.store.source", "http");
        config.put("daf.data-dir", "./target/test-data-store");
        return config;
    }
}
