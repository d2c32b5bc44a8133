package io.dafedge.command;

import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A command payload to a {@link Command}, as {@code mqtt/command.schema.json} describes it: one JSON object of at
 * most {@link #MAX_PAYLOAD_BYTES}, {@code id} and {@code command} always, and exactly the fields its command takes.
 * A field the command does not take is refused rather than ignored: a misspelt {@code threshhold} must not pass as a
 * command that does nothing.
 */
final class CommandParser {
    /** Commands are a few hundred bytes; the bound keeps a flood of large messages from costing memory. */
    static final int MAX_PAYLOAD_BYTES = 4096;
    static final int MAX_ID = 100;
    /** As the upload API bounds it. */
    static final int MAX_PART_ID = 200;
    static final int MAX_NAME = 200;
    private static final Set<String> COMMON = Set.of("id", "command", "token");
    private static final Map<CommandType, Set<String>> REQUIRED = Map.of(
            CommandType.SET_PART_ID, Set.of("partId"),
            CommandType.REINSPECT, Set.of(),
            CommandType.SWITCH_MODEL, Set.of("model", "threshold"),
            CommandType.SET_THRESHOLD, Set.of("threshold"));
    private static final Map<CommandType, Set<String>> OPTIONAL = Map.of(
            CommandType.SET_PART_ID, Set.of("camera"),
            CommandType.REINSPECT, Set.of("camera"),
            CommandType.SWITCH_MODEL, Set.of(),
            CommandType.SET_THRESHOLD, Set.of());
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private CommandParser() {
    }

    /** The payload as a JSON object, bounded and well-formed, not yet checked field by field. */
    static ObjectNode read(byte[] payload) throws CommandRejected {
        if (payload.length > MAX_PAYLOAD_BYTES) {
            throw new CommandRejected("payload of " + payload.length + " bytes is over the limit of "
                    + MAX_PAYLOAD_BYTES);
        }
        JsonNode node;
        try {
            node = JSON.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new CommandRejected("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new CommandRejected("malformed JSON: " + e.getMessage());
        }
        if (!(node instanceof ObjectNode o)) {
            throw new CommandRejected("a command is a JSON object, got " + (node == null || node.isMissingNode()
                    ? "an empty payload" : node.getNodeType().name().toLowerCase()));
        }
        return o;
    }

    /** The command's id for the ack, when it is a usable one; null otherwise. */
    static String id(ObjectNode o) {
        JsonNode id = o == null ? null : o.get("id");
        return id != null && id.isTextual() && bounded(id.textValue(), MAX_ID) ? id.textValue() : null;
    }

    /** The command's name for the ack, when it is a known one; null otherwise (never echoes arbitrary text). */
    static String name(ObjectNode o) {
        JsonNode c = o == null ? null : o.get("command");
        return c != null && c.isTextual() && CommandType.of(c.textValue()).isPresent() ? c.textValue() : null;
    }

    static String token(ObjectNode o) {
        JsonNode t = o.get("token");
        return t != null && t.isTextual() ? t.textValue() : null;
    }

    /** Checks the object field by field. */
    static Command command(ObjectNode o) throws CommandRejected {
        String id = id(o);
        if (id == null) {
            throw new CommandRejected("'id' must be a string of 1 to " + MAX_ID
                    + " characters, not blank, without control characters");
        }
        JsonNode c = o.get("command");
        if (c == null || !c.isTextual()) {
            throw new CommandRejected("'command' must be one of " + CommandType.names());
        }
        CommandType type = CommandType.of(c.textValue()).orElseThrow(() -> new CommandRejected("unknown command '"
                + abbreviated(c.textValue()) + "' (commands: " + CommandType.names() + ")"));
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!COMMON.contains(field) && !REQUIRED.get(type).contains(field) && !OPTIONAL.get(type).contains(field)) {
                throw new CommandRejected("field '" + abbreviated(field) + "' does not belong to " + type.wire());
            }
        }
        for (String field : REQUIRED.get(type)) {
            if (!o.has(field)) {
                throw new CommandRejected(type.wire() + " needs '" + field + "'");
            }
        }
        JsonNode token = o.get("token");
        if (token != null && !token.isTextual()) {
            throw new CommandRejected("'token' must be a string");
        }
        return new Command(id, type, text(o, "camera", MAX_NAME), text(o, "partId", MAX_PART_ID),
                text(o, "model", MAX_NAME), number(o, "threshold"));
    }

    /** A field left out is null; one given as null is as wrong as any other non-string. */
    private static String text(ObjectNode o, String field, int max) throws CommandRejected {
        JsonNode n = o.get(field);
        if (n == null) {
            return null;
        }
        if (!n.isTextual() || !bounded(n.textValue(), max)) {
            throw new CommandRejected("'" + field + "' must be a string of 1 to " + max
                    + " characters, not blank, without control characters");
        }
        return n.textValue();
    }

    private static Double number(ObjectNode o, String field) throws CommandRejected {
        JsonNode n = o.get(field);
        if (n == null) {
            return null;
        }
        if (!n.isNumber() || !Double.isFinite(n.doubleValue())) {
            throw new CommandRejected("'" + field + "' must be a finite number");
        }
        return n.doubleValue();
    }

    /** Control characters are refused too: ids and names end up in log lines and topics' payloads. */
    private static boolean bounded(String s, int max) {
        return !s.isBlank() && s.length() <= max && s.chars().noneMatch(Character::isISOControl);
    }

    /** Text from the bus quoted in a reason: cut short, and unable to start a new log line. */
    static String abbreviated(String s) {
        String cut = s.length() <= 40 ? s : s.substring(0, 40) + "...";
        return cut.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
