package io.dafedge.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

/**
 * The published command schema and the parser agree: what the schema admits parses, what it refuses is refused,
 * for the examples of docs/mqtt.md and for each kind of malformed command. (Whether a named line, camera or model
 * exists, and whether a threshold suits the line's model, is the appliance's to say, not the parser's.)
 */
class CommandSchemaTest {
    private static final Schema SCHEMA = schema();

    private static Schema schema() {
        try (InputStream in = CommandSchemaTest.class.getResourceAsStream("/mqtt/command.schema.json")) {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            true  | {"id":"mes-1001","command":"set-part-id","camera":"cam1","partId":"P-4711","token":"t"}
            true  | {"id":"mes-1002","command":"reinspect","camera":"cam1","token":"t"}
            true  | {"id":"mes-1002","command":"reinspect"}
            true  | {"id":"mes-1003","command":"switch-model","model":"5d7574d5","threshold":67.3,"token":"t"}
            true  | {"id":"mes-1004","command":"set-threshold","threshold":50.0,"token":"t"}
            false | {"id":"m","command":"set-part-id","partId":"P","camera":null}
            false | {"id":"m","command":"set-threshold","threshold":null}
            false | {"command":"reinspect"}
            false | {"id":"","command":"reinspect"}
            false | {"id":"  ","command":"reinspect"}
            false | {"id":"a\\u0007b","command":"reinspect"}
            false | {"id":7,"command":"reinspect"}
            false | {"id":"m","command":"reboot"}
            false | {"id":"m","command":"set-part-id"}
            false | {"id":"m","command":"set-part-id","partId":"P","threshold":3}
            false | {"id":"m","command":"reinspect","partId":"P"}
            false | {"id":"m","command":"switch-model","model":"x"}
            false | {"id":"m","command":"switch-model","threshold":3}
            false | {"id":"m","command":"set-threshold","threshold":"3"}
            false | {"id":"m","command":"set-threshold","threshhold":3}
            false | {"id":"m","command":"set-threshold","threshold":3,"camera":"c"}
            false | {"id":"m","command":"reinspect","token":5}
            """)
    void theSchemaAndTheParserAgree(boolean valid, String json) {
        assertEquals(valid, SCHEMA.validate(json, InputFormat.JSON).isEmpty(), "schema: " + json);
        boolean parsed;
        try {
            CommandParser.command(CommandParser.read(json.getBytes(StandardCharsets.UTF_8)));
            parsed = true;
        } catch (CommandRejected e) {
            parsed = false;
        }
        assertEquals(valid, parsed, "parser: " + json);
    }
}
