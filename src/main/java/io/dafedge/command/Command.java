package io.dafedge.command;

/**
 * A command that passed parsing and authorisation; which fields are set depends on its type, the rest are null.
 * It carries no token: what is logged or acknowledged never contains the secret.
 */
public record Command(String id, CommandType type, String camera, String partId, String model, Double threshold) {
}
