package io.dafedge.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Parsing, authorisation and every reason a command is refused, on an appliance without models; and set-part-id,
 * which needs none. Every refusal must leave the appliance as it was.
 */
class CommandsTest {
    private static final String T = "\"token\":\"" + Fixture.TOKEN + "\"";

    @TempDir
    Path tmp;
    private Fixture f;

    @BeforeEach
    void appliance() throws Exception {
        f = new Fixture(tmp, Fixture.ALL);
    }

    @AfterEach
    void close() {
        f.close();
    }

    static Stream<Arguments> refusals() {
        String big = "{\"id\":\"c1\",\"command\":\"set-part-id\",\"partId\":\"" + "x".repeat(5000) + "\"," + T + "}";
        return Stream.of(
                Arguments.of("two", big, null, "bytes is over the limit of 4096"),
                Arguments.of("two", "{\"id\":\"c1\",\"command\":", null, "malformed JSON"),
                Arguments.of("two", "", null, "an empty payload"),
                Arguments.of("two", "[1,2]", null, "a command is a JSON object, got array"),
                Arguments.of("two", "{\"id\":\"c1\",\"id\":\"c2\",\"command\":\"reinspect\"," + T + "}", null,
                        "malformed JSON: Duplicate field 'id'"),
                Arguments.of("two", "{\"id\":\"c1\",\"command\":\"reinspect\"," + T + "} {}", null, "malformed JSON"),
                Arguments.of("two", "{\"id\":\"c1\",\"command\":\"set-part-id\",\"camera\":\"a\",\"partId\":\"P\"}",
                        "c1", "unauthorised: the token is missing or wrong"),
                Arguments.of("two", "{\"id\":\"c1\",\"command\":\"set-part-id\",\"camera\":\"a\",\"partId\":\"P\","
                        + "\"token\":\"s3cre\"}", "c1", "unauthorised"),
                Arguments.of("nope", "{\"id\":\"c1\",\"command\":\"reinspect\",\"token\":7}", "c1", "unauthorised"),
                Arguments.of("two", "{\"command\":\"reinspect\"," + T + "}", null, "'id' must be a string of 1 to 100"),
                Arguments.of("two", "{\"id\":\"" + "i".repeat(101) + "\",\"command\":\"reinspect\"," + T + "}", null,
                        "'id' must be a string"),
                Arguments.of("two", "{\"id\":\"a\\nb\",\"command\":\"reinspect\"," + T + "}", null,
                        "without control characters"),
                Arguments.of("two", "{\"id\":\"c1\"," + T + "}", "c1", "'command' must be one of [set-part-id, "
                        + "reinspect, switch-model, set-threshold]"),
                Arguments.of("two", "{\"id\":\"c1\",\"command\":\"reboot\"," + T + "}", "c1",
                        "unknown command 'reboot' (commands: [set-part-id, reinspect, switch-model, set-threshold])"),
                Arguments.of("nope", "{\"id\":\"c1\",\"command\":\"reinspect\"," + T + "}", "c1",
                        "unknown line 'nope' (lines: [two, one])"),
                Arguments.of("two", "{\"id\":\"c1\",\"command\":\"set-threshold\",\"threshhold\":3," + T + "}", "c1",
                        "field 'threshhold' does not belong to set-threshold"),
                Arguments.of("two", "{\"id\":\"c1\",\"command\":\"set-threshold\",\"camera\":\"a\",\"threshold\":3,"
                        + T + "}", "c1", "field 'camera' does not belong to set-threshold"),
                Arguments.of("two", "{\"id\":\"c1\",\"command\":\"set-part-id\",\"camera\":\"a\"," + T + "}", "c1",
                        "set-part-id needs 'partId'"),
                Arguments.of("two", "{\"id\":\"c1\",\"command\":\"switch-model\",\"model\":\"m\"," + T + "}", "c1",
                        "switch-model needs 'threshold'"),
                Arguments.of("two", "{\"id\":\"c1\",\"command\":\"set-threshold\",\"threshold\":\"0.5\"," + T + "}",
                        "c1", "'threshold' must be a finite number"),
                Arguments.of("two", "{\"id\":\"c1\",\"command\":\"set-threshold\",\"threshold\":1e999," + T + "}",
                        "c1", "'threshold' must be a finite number"),
                Arguments.of("two", "{\"id\":\"c1\",\"command\":\"set-threshold\",\"threshold\":NaN," + T + "}",
                        null, "malformed JSON"),
                Arguments.of("two", "{\"id\":\"c1\",\"command\":\"set-part-id\",\"camera\":\"a\",\"partId\":\" \","
                        + T + "}", "c1", "'partId' must be a string of 1 to 200 characters"),
                Arguments.of("two", "{\"id\":\"c1\",\"command\":\"set-part-id\",\"camera\":\"a\",\"partId\":\""
                        + "p".repeat(201) + "\"," + T + "}", "c1", "'partId' must be a string of 1 to 200"),
                Arguments.of("two", "{\"id\":\"c1\",\"command\":\"set-part-id\",\"camera\":3,\"partId\":\"P\"," + T
                        + "}", "c1", "'camera' must be a string"),
                Arguments.of("two", "{\"id\":\"c1\",\"command\":\"set-part-id\",\"camera\":\"solo\",\"partId\":\"P\","
                        + T + "}", "c1", "no camera 'solo' on line two (cameras: [a, b])"),
                Arguments.of("two", "{\"id\":\"c1\",\"command\":\"set-part-id\",\"partId\":\"P\"," + T + "}", "c1",
                        "line two has cameras [a, b]: name one in 'camera'"),
                Arguments.of("one", "{\"id\":\"c1\",\"command\":\"reinspect\"," + T + "}", "c1",
                        "camera solo has no inspected frame yet"),
                Arguments.of("one", "{\"id\":\"c1\",\"command\":\"set-threshold\",\"threshold\":3," + T + "}", "c1",
                        "line one has no model to set a threshold for"),
                Arguments.of("one", "{\"id\":\"c1\",\"command\":\"switch-model\",\"model\":\"../../etc\","
                        + "\"threshold\":3," + T + "}", "c1", "no known model '../../etc' (known: [])"));
    }

    @ParameterizedTest
    @MethodSource("refusals")
    void refusedWithItsReasonAndNothingChanges(String line, String json, String id, String reason) throws Exception {
        Ack ack = f.send(line, json);
        assertFalse(ack.accepted());
        assertTrue(ack.reason().contains(reason), ack.reason());
        assertEquals(id, ack.id());
        assertEquals(line, ack.line());
        assertUnchanged();
    }

    @Test
    void aReinspectionOnALineWithoutModelIsRefused() throws Exception {
        f.inspect("solo", "P-1");
        int before = f.published.size();
        Ack ack = f.send("one", "{\"id\":\"r\",\"command\":\"reinspect\"," + T + "}");
        assertEquals("line one has no model: the frame would be UNKNOWN again", ack.reason());
        assertEquals(before, f.published.size());
    }

    @Test
    void aCommandNotOnTheAllowListIsRefusedEvenWithTheRightToken() throws Exception {
        f.close();
        f = new Fixture(tmp, List.of("reinspect", "set-threshold"));
        Ack ack = f.send("one", "{\"id\":\"c9\",\"command\":\"set-part-id\",\"partId\":\"P\"," + T + "}");
        assertEquals("set-part-id is not allowed on this appliance (allowed: [reinspect, set-threshold])",
                ack.reason());
        assertEquals("set-part-id", ack.command());
        assertNull(f.nextPartId("solo"));
    }

    @Test
    void setPartIdNamesTheNextFrameOfTheCamera() throws Exception {
        Ack ack = f.send("two", "{\"id\":\"c1\",\"command\":\"set-part-id\",\"camera\":\"b\",\"partId\":\"P-17\","
                + T + "}");
        assertTrue(ack.accepted(), ack.reason());
        JsonNode json = ack.json(Instant.parse("2026-11-27T12:00:00Z"));
        assertEquals("{\"id\":\"c1\",\"command\":\"set-part-id\",\"line\":\"two\",\"status\":\"accepted\","
                + "\"reason\":null,\"at\":\"2026-11-27T12:00:00Z\",\"camera\":\"b\",\"partId\":\"P-17\"}",
                json.toString());
        assertNull(f.nextPartId("a"), "the other camera of the line is not touched");
        assertEquals("P-17", f.nextPartId("b"));
        assertNull(f.nextPartId("b"), "one frame only");

        f.send("one", "{\"id\":\"c2\",\"command\":\"set-part-id\",\"partId\":\"P-1\"," + T + "}");
        Ack again = f.send("one", "{\"id\":\"c3\",\"command\":\"set-part-id\",\"partId\":\"P-2\"," + T + "}");
        assertEquals("P-1", again.details().get("replacedPartId").asText(), "the camera of a one-camera line "
                + "needs no name; a newer part id replaces the one not yet used, and the ack says which");
        assertEquals("P-2", f.nextPartId("solo"));
    }

    @Test
    void withoutATokenConfiguredEveryCommandIsAuthorised() throws Exception {
        CommandPolicy open = new CommandPolicy(null, Fixture.ALL);
        assertFalse(open.requiresToken());
        assertTrue(open.authorised(null));
        CommandPolicy closed = new CommandPolicy("s3cret", Fixture.ALL);
        assertTrue(closed.authorised("s3cret"));
        for (String wrong : Arrays.asList(null, "", "s3cre", "s3cret ", "S3CRET")) {
            assertFalse(closed.authorised(wrong), String.valueOf(wrong));
        }
    }

    @Test
    void anAllowListNamingNoCommandIsAConfigurationError() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new CommandPolicy(null, List.of("reinspect", "reboot")));
        assertTrue(e.getMessage().contains("'reboot'"), e.getMessage());
    }

    /** No part id pending on any camera, no model on any line, nothing remembered, nothing inspected. */
    private void assertUnchanged() throws InterruptedException {
        for (String camera : List.of("a", "b", "solo")) {
            assertNull(f.nextPartId(camera), camera);
        }
        for (String line : List.of("one", "two")) {
            assertTrue(f.models.current(line).isEmpty(), line);
        }
        assertEquals(0, f.memory.saves);
        assertTrue(f.published.isEmpty());
    }
}
