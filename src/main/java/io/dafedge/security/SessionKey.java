package io.dafedge.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;

/**
 * The key the login cookies are encrypted with, kept in the data folder ({@code session-key}, owner-only), so that a
 * restart of the appliance does not log out the line's screens. Without the file Quarkus makes a random key per
 * start; the file is written at the first start ({@link #ensure}) and read from the next one on. A key the site sets
 * itself ({@code quarkus.http.auth.session.encryption-key}) wins.
 */
public final class SessionKey implements ConfigSourceFactory {
    static final String PROPERTY = "quarkus.http.auth.session.encryption-key";
    static final String FILE = "session-key";

    @Override
    public Iterable<org.eclipse.microprofile.config.spi.ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue dir = context.getValue("daf.data-dir");
        Path file = Path.of(dir == null || dir.getValue() == null ? "./data" : dir.getValue()).resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            String key = Files.readString(file, StandardCharsets.US_ASCII).strip();
            // below the site's files and the environment (ordinal 100-300), above the built-in defaults
            return List.of(new MapBackedConfigSource("daf session key " + file, Map.of(PROPERTY, key), 50) {
            });
        } catch (IOException e) {
            throw new UncheckedIOException("the login cookie key " + file + " is not readable: " + e.getMessage(), e);
        }
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(50);
    }

    /** Writes a new key to the data folder unless one is there; used from the next start on. */
    public static void ensure(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE);
        if (Files.exists(file)) {
            return;
        }
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Files.createDirectories(dataDir);
        Path tmp = dataDir.resolve("." + FILE + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
