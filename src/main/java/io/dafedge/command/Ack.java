package io.dafedge.command;

import java.time.Instant;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The answer to one command, published on {@code daf-edge/<site>/<line>/cmd/ack} (schema
 * {@code mqtt/command-ack.schema.json}). {@code id} and {@code command} echo the command's when they could be read;
 * {@code details} say what an accepted command did.
 *
 * @param reason null when accepted
 */
public record Ack(String line, String id, String command, String reason, ObjectNode details) {
    public static Ack accepted(String line, Command c, ObjectNode details) {
        return new Ack(line, c.id(), c.type().wire(), null, details);
    }

    public static Ack rejected(String line, String id, String command, String reason) {
        return new Ack(line, id, command, reason, emptyDetails());
    }

    /** An empty object for an ack's details. */
    public static ObjectNode emptyDetails() {
        return JsonNodeFactory.instance.objectNode();
    }

    public boolean accepted() {
        return reason == null;
    }

    public ObjectNode json(Instant at) {
        ObjectNode o = emptyDetails();
        o.put("id", id);
        o.put("command", command);
        o.put("line", line);
        o.put("status", accepted() ? "accepted" : "rejected");
        o.put("reason", reason);
        o.put("at", at.toString());
        o.setAll(details);
        return o;
    }
}
