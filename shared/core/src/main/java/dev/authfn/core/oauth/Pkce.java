package dev.authfn.core.oauth;

import dev.authfn.core.internal.Base64Url;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Proof Key for Code Exchange (RFC 7636) with {@code S256} only: the authorization request carries
 * {@code code_challenge = BASE64URL(SHA-256(code_verifier))}, the token request the verifier.
 * {@code plain} is refused (RFC 9700 §2.1.1).
 */
public final class Pkce {

    public static final String S256 = "S256";

    /** RFC 7636 §4.1: 43 to 128 unreserved characters. */
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");

    private Pkce() {
    }

    /** Whether {@code challenge} can be an S256 challenge: 43 characters of canonical base64url (32 bytes). */
    public static boolean isChallenge(String challenge) {
        return challenge != null && challenge.length() == 43 && Base64Url.isCanonical(challenge, 0, 43);
    }

    /** Whether {@code verifier} is well formed and hashes to {@code challenge} (constant time). */
    public static boolean verifies(String verifier, String challenge) {
        if (verifier == null || !VERIFIER.matcher(verifier).matches()) {
            return false;
        }
        return Base64Url.constantTimeEquals(challenge, Base64Url.sha256(verifier.getBytes(StandardCharsets.US_ASCII)));
    }
}
