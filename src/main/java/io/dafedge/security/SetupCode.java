package io.dafedge.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Locale;

/**
 * The one-time code the setup page asks for while the appliance has no user. It is written to a file in the data
 * folder (readable by its owner only) and logged, so only someone with access to the box or its log can become the
 * first administrator, not whoever on the plant network opens the page first.
 */
public final class SetupCode {
    private static final char[] ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();
    private static final int LENGTH = 10;

    private final Path file;
    private final String code;

    private SetupCode(Path file, String code) {
        this.file = file;
        this.code = code;
    }

    /** A fresh code, written to {@code file}. */
    public static SetupCode create(Path file) throws IOException {
        SecureRandom random = new SecureRandom();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < LENGTH; i++) {
            b.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.writeString(file, b + "\n", StandardCharsets.US_ASCII);
        return new SetupCode(file, b.toString());
    }

    public Path file() {
        return file;
    }

    public String code() {
        return code;
    }

    /** Case and surrounding blanks ignored; compared in constant time. */
    public boolean matches(String given) {
        if (given == null) {
            return false;
        }
        return MessageDigest.isEqual(code.getBytes(StandardCharsets.US_ASCII),
                given.strip().toUpperCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }

    /** Removes the file once the first user exists. */
    public void used() throws IOException {
        Files.deleteIfExists(file);
    }
}
