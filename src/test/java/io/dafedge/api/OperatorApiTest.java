package io.dafedge.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.dafedge.security.Role;
import io.dafedge.security.Users;
import io.dafedge.synth.Image;
import io.dafedge.synth.ImageFiles;
import io.quarkus.arc.Arc;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/**
 * Every call an operator may make answers 401 without credentials or with a wrong password, and is carried out for
 * an operator (the engineers' calls are in EngineeringApiTest and TrainingResourceTest).
 */
@QuarkusTest
class OperatorApiTest {
    static final String OPERATOR = "api-op-" + UUID.randomUUID().toString().substring(0, 8);
    static final String PASSWORD = "operator-password";

    @BeforeAll
    static void operator() {
        Arc.container().instance(Users.class).get().create(OPERATOR, PASSWORD, Role.OPERATOR);
    }

    record Call(String method, String path, String contentType, byte[] body, int expected) {
        RequestSpecification spec(RequestSpecification r) {
            return contentType == null ? r : r.contentType(contentType).body(body);
        }
    }

    @Test
    void operatorCallsNeedCredentialsAndAreCarriedOutForAnOperator() throws Exception {
        byte[] png = ImageFiles.encodePng(new Image(16, 16, 3));
        String id = TestUsers.as(OPERATOR, PASSWORD).contentType("image/png").body(png)
                .post("/api/v1/cameras/demo/frames").then().statusCode(202).extract().path("resultId");
        for (int i = 0; i < 100 && TestUsers.asAdmin().get("/api/v1/inspections/" + id).statusCode() != 200; i++) {
            Thread.sleep(100);
        }
        List<Call> calls = List.of(new Call("GET", "/api/v1/status", null, null, 200),
                new Call("GET", "/api/v1/lines", null, null, 200),
                new Call("GET", "/api/v1/cameras", null, null, 200),
                new Call("GET", "/api/v1/cameras/demo", null, null, 200),
                new Call("GET", "/api/v1/inspections", null, null, 200),
                new Call("GET", "/api/v1/inspections/" + id, null, null, 200),
                new Call("POST", "/api/v1/cameras/demo/frames", "image/png", png, 202),
                new Call("POST", "/api/v1/inspections/" + id + "/review", "application/json",
                        "{\"defective\": false}".getBytes(), 200),
                new Call("GET", "/api/v1/inspections/" + id + "/review", null, null, 200));
        for (Call c : calls) {
            c.spec(given()).request(c.method(), c.path()).then().statusCode(401);
            c.spec(TestUsers.as(OPERATOR, "wrong-password")).request(c.method(), c.path()).then().statusCode(401);
            int status = c.spec(TestUsers.as(OPERATOR, PASSWORD)).request(c.method(), c.path()).statusCode();
            assertEquals(c.expected(), status, c.method() + " " + c.path());
        }
        // pictures exist only when kept; either way the operator is let through to the answer
        int picture = TestUsers.as(OPERATOR, PASSWORD).get("/api/v1/inspections/" + id + "/heatmap.png").statusCode();
        assertTrue(picture == 200 || picture == 404, "picture: " + picture);
        given().get("/api/v1/inspections/" + id + "/heatmap.png").then().statusCode(401);
    }
}
