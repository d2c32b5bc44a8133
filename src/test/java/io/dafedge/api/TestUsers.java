package io.dafedge.api;

import static io.restassured.RestAssured.given;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.restassured.specification.RequestSpecification;

/** Who the tests call the API as: the administrator the test profile bootstraps, or users a test adds. */
public final class TestUsers {
    public static final String ADMIN = "admin";
    /** {@code %test.daf.security.bootstrap-admin-password} */
    public static final String ADMIN_PASSWORD = "test-admin-password";

    private TestUsers() {
    }

    /** A request as the administrator (an engineer). */
    public static RequestSpecification asAdmin() {
        return as(ADMIN, ADMIN_PASSWORD);
    }

    public static RequestSpecification as(String user, String password) {
        return given().auth().preemptive().basic(user, password);
    }

    /** The Authorization header's value for plain HTTP clients. */
    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
