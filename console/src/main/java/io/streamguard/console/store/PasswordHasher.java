package io.streamguard.console.store;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password storage with the JDK's PBKDF2WithHmacSHA256 at 210,000 iterations (OWASP's 2023 figure for
 * it), a random 16-byte salt per password and a 32-byte hash. The stored form names its parameters,
 * {@code pbkdf2-sha256$210000$<salt b64>$<hash b64>}, so a later increase of the work factor can still
 * verify old hashes. Comparison is constant-time ({@link MessageDigest#isEqual}).
 */
public final class PasswordHasher {
    static final String ALGORITHM = "pbkdf2-sha256";
    static final int ITERATIONS = 210_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHasher() {}

    public static String hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] hash = pbkdf2(password, salt, ITERATIONS, HASH_BITS);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return ALGORITHM + "$" + ITERATIONS + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    /** Whether {@code password} is the one {@code encoded} was made from; false for a malformed encoding. */
    public static boolean verify(char[] password, String encoded) {
        String[] parts = encoded.split("\\$");
        if (parts.length != 4 || !parts[0].equals(ALGORITHM)) {
            return false;
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            if (iterations < 1 || expected.length == 0) {
                return false;
            }
            byte[] actual = pbkdf2(password, salt, iterations, expected.length * 8);
            return MessageDigest.isEqual(expected, actual);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Spends one hash's time, so that a login for an unknown name takes as long as a wrong password. */
    static void burn(char[] password) {
        pbkdf2(password, "streamguard-none".getBytes(StandardCharsets.US_ASCII), ITERATIONS, HASH_BITS);
    }

    private static byte[] pbkdf2(char[] password, byte[] salt, int iterations, int bits) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bits);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(spec)
                    .getEncoded();
        } catch (GeneralSecurityException e) {
            throw new ConsoleException("PBKDF2WithHmacSHA256 is unavailable", e);
        } finally {
            spec.clearPassword();
        }
    }
}
