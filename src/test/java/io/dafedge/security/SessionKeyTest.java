package io.dafedge.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

class SessionKeyTest {
    @TempDir
    Path dir;

    private SmallRyeConfig config(Map<String, String> site) {
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(site, "site", 250))
                .withSources(new SessionKey()).build();
    }

    @Test
    void theKeyIsWrittenOnceOwnerOnlyAndReadFromTheDataFolder() throws Exception {
        Map<String, String> site = Map.of("daf.data-dir", dir.toString());
        assertFalse(config(site).getOptionalValue(SessionKey.PROPERTY, String.class).isPresent(),
                "no file yet: Quarkus makes a key for this start");
        SessionKey.ensure(dir);
        Path file = dir.resolve(SessionKey.FILE);
        String key = Files.readString(file).strip();
        assertEquals(32, Base64.getDecoder().decode(key).length);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        SessionKey.ensure(dir);
        assertEquals(key, Files.readString(file).strip(), "an existing key is kept: sessions survive restarts");
        assertEquals(key, config(site).getValue(SessionKey.PROPERTY, String.class));
        assertTrue(Files.list(dir).allMatch(p -> p.equals(file)), "no temporary file left");
    }

    @Test
    void aKeyTheSiteSetsWins() throws Exception {
        SessionKey.ensure(dir);
        assertEquals("the-sites-own-key-1234", config(Map.of("daf.data-dir", dir.toString(), SessionKey.PROPERTY,
                "the-sites-own-key-1234")).getValue(SessionKey.PROPERTY, String.class));
    }
}
