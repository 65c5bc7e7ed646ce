package dev.authfn.core.csrf;

import dev.authfn.core.internal.Base64Url;
import dev.authfn.core.internal.HmacSha256;
import dev.authfn.core.keys.HmacKey;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Signed double-submit CSRF tokens bound to a session: {@code <kid>.<random>.<mac>} with
 * {@code mac = HMAC(csrf key kid, kid + "." + sessionId + "." + random)}. The same value goes to
 * the login body and the (non-HttpOnly) CSRF cookie; a cookie-authenticated unsafe request must
 * echo it in {@code X-CSRF-Token}. A token minted for another session fails the MAC, so a value
 * planted from a sibling subdomain or leaked from another session is useless here.
 */
public final class CsrfTokens {

    /** Random part: 128 bits. */
    public static final int RANDOM_BYTES = 16;
    public static final int MAX_LENGTH = 256;

    /** Why a CSRF check failed. */
    public enum Reason {
        /** No {@code X-CSRF-Token} header. */
        MISSING,
        /** The header does not equal the CSRF cookie. */
        COOKIE_MISMATCH,
        MALFORMED,
        UNKNOWN_KEY,
        /** Forged, altered or minted for another session. */
        BAD_SIGNATURE
    }

    private final HmacSha256 hmac;
    private final SecureRandom random;

    public CsrfTokens(HmacKey activeKey, List<HmacKey> verifyingKeys, SecureRandom random) {
        this.hmac = new HmacSha256(activeKey, verifyingKeys);
        this.random = Objects.requireNonNull(random, "random");
    }

    /** A fresh token for the session. */
    public String issue(String sessionId) {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        String nonce = Base64Url.encode(bytes);
        String kid = hmac.signingKid();
        return kid + '.' + nonce + '.' + hmac.sign(kid + '.' + sessionId + '.' + nonce);
    }

    /**
     * Checks a cookie-authenticated unsafe request: the header must be present, equal the CSRF
     * cookie (when the client sent one) and carry a valid MAC for this session.
     *
     * @return empty when the request passes, else the reason it fails
     */
    public Optional<Reason> check(String sessionId, String headerToken, String cookieToken) {
        if (headerToken == null || headerToken.isEmpty()) {
            return Optional.of(Reason.MISSING);
        }
        if (cookieToken != null && !Base64Url.constantTimeEquals(cookieToken, headerToken)) {
            return Optional.of(Reason.COOKIE_MISMATCH);
        }
        return verify(sessionId, headerToken);
    }

    /** Checks one presented token against the session; empty when valid. Never throws. */
    public Optional<Reason> verify(String sessionId, String presented) {
        if (presented == null || presented.isEmpty() || presented.length() > MAX_LENGTH) {
            return Optional.of(Reason.MALFORMED);
        }
        int kidEnd = presented.indexOf('.');
        int macStart = presented.lastIndexOf('.') + 1;
        if (kidEnd <= 0 || macStart <= kidEnd + 1 || presented.indexOf('.', kidEnd + 1) != macStart - 1) {
            return Optional.of(Reason.MALFORMED);
        }
        String kid = presented.substring(0, kidEnd);
        String nonce = presented.substring(kidEnd + 1, macStart - 1);
        if (nonce.length() != Base64Url.encodedLength(RANDOM_BYTES) || !Base64Url.isAlphabet(nonce, 0, nonce.length())) {
            return Optional.of(Reason.MALFORMED);
        }
        Optional<String> expected = hmac.mac(kid, kid + '.' + sessionId + '.' + nonce);
        if (expected.isEmpty()) {
            return Optional.of(Reason.UNKNOWN_KEY);
        }
        if (!Base64Url.constantTimeEquals(expected.get(), presented.substring(macStart))) {
            return Optional.of(Reason.BAD_SIGNATURE);
        }
        return Optional.empty();
    }
}
