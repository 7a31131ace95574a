package io.earthling.manager.internal.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The text of tokens and session ids: {@code et_} and 256 random bits in base64url (43 characters), and the SHA-256
 * digest (hex) that is all the store keeps. A plain digest is enough: 256 random bits cannot be guessed back.
 */
public final class TokenText {
    static final String PREFIX = "et_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private TokenText() {
    }

    /** A new API token. */
    public static String newToken() {
        return PREFIX + random();
    }

    /** 256 random bits in base64url without padding: a session id. */
    static String random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** The SHA-256 digest of {@code token}, 64 lower-case hex characters. */
    public static String digest(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Compares two digests in constant time. */
    static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
