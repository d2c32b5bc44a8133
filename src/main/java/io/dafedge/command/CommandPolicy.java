package io.dafedge.command;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Who may command the appliance, and what: the bus is shared by the plant, so a command carries the site's secret
 * when one is set, and only the commands the site allows are carried out.
 */
public final class CommandPolicy {
    private final byte[] tokenDigest;
    private final Set<CommandType> allowed;

    /**
     * @param token   the shared secret, or null for none (every command is then authorised)
     * @param allowed command names; an unknown one is a configuration error
     */
    public CommandPolicy(String token, List<String> allowed) {
        this.tokenDigest = token == null ? null : digest(token);
        Set<CommandType> set = EnumSet.noneOf(CommandType.class);
        for (String name : allowed) {
            set.add(CommandType.of(name.trim()).orElseThrow(() -> new IllegalArgumentException(
                    "daf.mqtt.commands.allowed names '" + name + "', which is no command (commands: "
                            + CommandType.names() + ")")));
        }
        this.allowed = Set.copyOf(set);
    }

    public boolean requiresToken() {
        return tokenDigest != null;
    }

    /**
     * Whether {@code given} is the secret. Both sides are hashed first and the digests compared in constant time, so
     * neither the secret's content nor its length shows in how long a refusal takes.
     */
    public boolean authorised(String given) {
        if (tokenDigest == null) {
            return true;
        }
        return given != null && MessageDigest.isEqual(tokenDigest, digest(given));
    }

    public boolean allows(CommandType type) {
        return allowed.contains(type);
    }

    public Set<CommandType> allowed() {
        return allowed;
    }

    private static byte[] digest(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
