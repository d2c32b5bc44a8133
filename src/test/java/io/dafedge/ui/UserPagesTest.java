package io.dafedge.ui;

import static io.dafedge.api.TestUsers.ADMIN;
import static io.dafedge.api.TestUsers.ADMIN_PASSWORD;
import static io.dafedge.api.TestUsers.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.dafedge.security.Role;
import io.dafedge.security.UserRecord;
import io.dafedge.security.Users;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/** An engineer adds, re-keys and removes users on the Users page; what the rules refuse changes nothing. */
@QuarkusTest
class UserPagesTest {
    @Inject
    Users users;

    private static Response post(String session, String token, String path, String... fields) {
        var r = given().cookie("daf-session", session).cookie(Csrf.COOKIE, token).redirects().follow(false)
                .formParam(Csrf.FIELD, token);
        for (int i = 0; i < fields.length; i += 2) {
            r = r.formParam(fields[i], fields[i + 1]);
        }
        return r.post(path);
    }

    @Transactional
    String hash(String user) {
        return UserRecord.<UserRecord>findById(user).passwordHash;
    }

    @Test
    void anEngineerAddsAnOperatorWhoCanThenLogInAndUseTheApi() {
        String name = "line-op-" + UUID.randomUUID().toString().substring(0, 6);
        String session = UiPagesTest.login(ADMIN, ADMIN_PASSWORD);
        String token = UiPagesTest.csrf(session, "/ui/users");
        Response added = post(session, token, "/ui/users/add", "username", name, "password", "first-password",
                "role", "operator");
        assertEquals(303, added.statusCode());
        assertTrue(added.header("Location").contains("done="), added.header("Location"));
        assertTrue(hash(name).startsWith("$2"), "a bcrypt hash, never the password");
        as(name, "first-password").get("/api/v1/lines").then().statusCode(200);
        as(name, "first-password").get("/api/v1/inspections?size=1").then().statusCode(200);

        post(session, token, "/ui/users/password", "username", name, "password", "second-password");
        as(name, "first-password").get("/api/v1/lines").then().statusCode(401);
        String own = UiPagesTest.login(name, "second-password");
        given().cookie("daf-session", own).get("/ui").then().statusCode(200).body(containsString(name + " (operator)"));

        post(session, token, "/ui/users/remove", "username", name);
        as(name, "second-password").get("/api/v1/lines").then().statusCode(401);
        given().cookie("daf-session", own).redirects().follow(false).get("/ui").then().statusCode(302); // session ends
    }

    @Test
    void theRulesRefuseBadNamesShortPasswordsDuplicatesAndRemovingOneself() {
        String session = UiPagesTest.login(ADMIN, ADMIN_PASSWORD);
        String token = UiPagesTest.csrf(session, "/ui/users");
        long before = users.count();
        for (String[] bad : new String[][] {{"Bad Name", "long-enough-pw", "operator"},
                {"shorty", "short", "operator"}, {"samename1", "samename1", "operator"},
                {"norole", "long-enough-pw", "admin"}, {ADMIN, "long-enough-pw", "engineer"}}) {
            Response r = post(session, token, "/ui/users/add", "username", bad[0], "password", bad[1], "role", bad[2]);
            assertTrue(r.header("Location").contains("error="), String.join(" ", bad) + ": " + r.header("Location"));
        }
        assertEquals(before, users.count());
        assertTrue(post(session, token, "/ui/users/remove", "username", ADMIN).header("Location").contains("error="));
        as(ADMIN, ADMIN_PASSWORD).get("/api/v1/lines").then().statusCode(200);
    }

    @Test
    void usersPagesAreForEngineersAndTheirFormsNeedTheToken() {
        String operator = "op-" + UUID.randomUUID().toString().substring(0, 6);
        users.create(operator, "operator-password", Role.OPERATOR);
        String session = UiPagesTest.login(operator, "operator-password");
        String token = UiPagesTest.csrf(session, "/ui");
        assertEquals(403, post(session, token, "/ui/users/add", "username", "sneaky", "password", "long-enough-pw",
                "role", "engineer").statusCode());
        String engineer = UiPagesTest.login(ADMIN, ADMIN_PASSWORD);
        assertEquals(403, given().cookie("daf-session", engineer).redirects().follow(false)
                .formParam("username", "sneaky").formParam("password", "long-enough-pw").formParam("role", "engineer")
                .post("/ui/users/add").statusCode());
        assertTrue(users.list().stream().noneMatch(u -> u.username().equals("sneaky")));
    }
}
