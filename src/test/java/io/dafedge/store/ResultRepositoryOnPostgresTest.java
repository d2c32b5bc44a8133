package io.dafedge.store;

import org.junit.jupiter.api.condition.EnabledIf;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The store's tests again, on PostgreSQL. */
@QuarkusTest
@TestProfile(OnPostgres.class)
@EnabledIf(value = "io.dafedge.store.OnPostgres#wanted", disabledReason = "DAF_SKIP_EXTERNAL=1 and no PostgreSQL")
class ResultRepositoryOnPostgresTest extends ResultRepositoryTest {
}
