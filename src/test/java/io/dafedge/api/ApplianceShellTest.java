package io.dafedge.api;

import static io.dafedge.api.TestUsers.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The appliance's shell: health (open to monitoring), status (behind a login) and the way to the pages. */
@QuarkusTest
class ApplianceShellTest {
    @Test
    void healthIsUpWithTheDataFolderCheck() throws InterruptedException {
        // the appliance connects to its broker in the background and is not ready before: on a loaded box that
        // can take longer than Quarkus' start
        for (int i = 0; i < 100 && given().when().get("/q/health/ready").statusCode() != 200; i++) {
            Thread.sleep(100);
        }
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("data-dir"));
    }

    @Test
    void statusNamesVersionAndDataFolder() {
        asAdmin().when().get("/api/v1/status").then().statusCode(200)
                .body("version", equalTo("development"))
                .body("dataDir", endsWith("target/test-data"))
                .body("uptimeSeconds", greaterThanOrEqualTo(0));
    }

    @Test
    void theAppliancesAddressLeadsToTheLoginPage() {
        given().when().get("/").then().statusCode(200)
                .contentType(containsString("text/html"))
                .body(containsString("<title>Log in · daf-edge</title>"));
    }

    @Test
    void theApiAsksForCredentialsAndHealthDoesNot() {
        given().when().get("/api/v1/status").then().statusCode(401);
        given().when().get("/q/health/live").then().statusCode(200);
    }
}
