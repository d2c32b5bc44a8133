package io.dafedge.ui;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The first start of a fresh appliance without daf.security.bootstrap-admin-password: no user exists, every page
 * leads to the setup page, which creates the administrator only with the one-time code from the data folder, and
 * closes for good once it has.
 */
@QuarkusTest
@TestProfile(FirstStartTest.FreshAppliance.class)
class FirstStartTest {
    static final Path DATA = Path.of("./target/test-data-first-start");

    public static class FreshAppliance implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            if (Files.exists(DATA)) {
                try (Stream<Path> s = Files.walk(DATA)) {
                    s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return Map.of("daf.data-dir", DATA.toString(), "daf.security.bootstrap-admin-password", "",
                    "daf.cameras.cam1.source", "http");
        }
    }

    private static void setup(String code, String password, String again, int status) {
        String token = given().get("/ui/setup").cookie(Csrf.COOKIE);
        given().cookie(Csrf.COOKIE, token).redirects().follow(false).formParam(Csrf.FIELD, token)
                .formParam("code", code).formParam("username", "chief").formParam("password", password)
                .formParam("again", again).post("/ui/setup").then().statusCode(status);
    }

    @Test
    void theSetupPageMakesTheAdministratorOnceWithTheCodeFromTheBox() throws IOException {
        given().get("/ui").then().statusCode(200).body(containsString("id=\"setup-form\""))
                .body(containsString(DATA.toAbsolutePath().normalize().resolve("setup-code").toString()));
        String code = Files.readString(DATA.resolve("setup-code")).strip();
        setup("WRONGCODE1", "a-long-password", "a-long-password", 400);
        setup(code, "short", "short", 400);
        setup(code, "a-long-password", "another-password", 400);
        given().redirects().follow(false).formParam("code", code).formParam("username", "chief")
                .formParam("password", "a-long-password").formParam("again", "a-long-password").post("/ui/setup")
                .then().statusCode(403); // no CSRF token
        setup(code.toLowerCase(), "a-long-password", "a-long-password", 303);
        assertFalse(Files.exists(DATA.resolve("setup-code")), "the used code is removed");
        given().redirects().follow(false).get("/ui/setup").then().statusCode(303)
                .header("Location", endsWith("/ui/login"));
        setup(code, "other-password", "other-password", 303); // closed: back to the login, nothing changes
        assertEquals(302, given().redirects().follow(false).formParam("j_username", "chief")
                .formParam("j_password", "other-password").post("/j_security_check").then().extract().statusCode());
        String session = UiPagesTest.login("chief", "a-long-password");
        given().cookie("daf-session", session).get("/ui/users").then().statusCode(200)
                .body(containsString("id=\"user-chief\""));
    }
}
