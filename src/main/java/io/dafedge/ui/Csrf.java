package io.dafedge.ui;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Double-submit CSRF tokens for the pages' forms: a random token in a strict same-site, HTTP-only cookie, and the
 * same token in a hidden field (or a header, for the pages' scripts) of every request that changes something. A
 * page of another site can make the browser send the cookie along (not with SameSite=Strict, but older browsers),
 * yet cannot read it to put it into the form.
 */
public final class Csrf {
    public static final String COOKIE = "daf-csrf";
    public static final String FIELD = "csrf";
    public static final String HEADER = "X-CSRF-Token";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Csrf() {
    }

    public static String newToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Whether a request carries the token of its cookie; in constant time, and never for a missing one. */
    public static boolean matches(String cookie, String given) {
        if (cookie == null || given == null || cookie.length() < 32) {
            return false;
        }
        return MessageDigest.isEqual(cookie.getBytes(StandardCharsets.US_ASCII),
                given.getBytes(StandardCharsets.US_ASCII));
    }

    /** GET, HEAD and OPTIONS change nothing; every other method must carry the token. */
    public static boolean changes(String method) {
        return !("GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method));
    }
}
