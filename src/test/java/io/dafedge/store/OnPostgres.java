package io.dafedge.store;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The store profile on PostgreSQL (Debian's, started by .ci/run) instead of the embedded H2. The database kind is
 * fixed when Quarkus builds the application, which a test profile does anew. The tables are dropped and created
 * for the run so every run starts from the same state.
 */
public class OnPostgres extends StoreProfile {
    static final String URL = env("DAF_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/daf_edge_test");
    static final String USER = env("DAF_TEST_PG_USER", "daf_edge");
    static final String PASSWORD = env("DAF_TEST_PG_PASSWORD", "daf_edge");

    private static String env(String name, String otherwise) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? otherwise : v;
    }

    /**
     * Whether the tests on PostgreSQL run: when it answers, or when it does not and skipping was not asked for (then
     * they fail, saying why, rather than pass unseen).
     */
    static boolean wanted() {
        return !"1".equals(System.getenv("DAF_SKIP_EXTERNAL")) || reachable() == null;
    }

    /** Null when a connection opens, otherwise why not. */
    static String reachable() {
        try (var c = DriverManager.getConnection(URL, USER, PASSWORD)) {
            return null;
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    /**
     * Fails the tests that use the profile, before the application starts, when the server does not answer. Not in
     * {@link #getConfigOverrides()}: Quarkus reads that while discovering tests, where a failure stops the whole run.
     */
    public static class Reachable implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            String why = reachable();
            if (why != null) {
                throw new IllegalStateException("PostgreSQL is not reachable at " + URL + " as " + USER + ": " + why.replaceAll("\\.+$", "")
                        + ". Start it and create the role and database as .ci/run does, point DAF_TEST_PG_URL,"
                        + " DAF_TEST_PG_USER and DAF_TEST_PG_PASSWORD at another, or set DAF_SKIP_EXTERNAL=1 to skip");
            }
            return Map.of();
        }

        @Override
        public void stop() {
        }
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Reachable.class));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = super.getConfigOverrides();
        config.put("quarkus.datasource.db-kind", "postgresql");
        config.put("quarkus.datasource.jdbc.url", URL);
        config.put("quarkus.datasource.username", USER);
        config.put("quarkus.datasource.password", PASSWORD);
        config.put("quarkus.hibernate-orm.schema-management.strategy", "drop-and-create");
        return config;
    }
}
