package dev.authfn.core.cookie;

import dev.authfn.core.internal.Base64Url;
import dev.authfn.core.internal.HmacSha256;
import dev.authfn.core.keys.HmacKey;
import dev.authfn.core.token.SessionToken;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The signed envelope that is the session cookie's value:
 * {@code <kid>.<issued-at epoch seconds>.<session id>.<secret>.<mac>}, where {@code mac} is the
 * unpadded base64url HMAC-SHA256, under the cookie key {@code kid}, of everything before the
 * last dot. The authorizer checks it before any database read, so forged or garbage cookies cost
 * one HMAC. It verifies under any non-retired cookie key; it signs with the active one.
 */
public final class SessionCookieCodec {

    /** Longer values are refused unparsed; a real envelope is about 150 characters. */
    public static final int MAX_LENGTH = 512;
    private static final int MAX_KID_LENGTH = 64;
    private static final int MAX_EPOCH_DIGITS = 12;

    /** Why a presented cookie value was refused. */
    public enum Reason {
        MALFORMED,
        UNKNOWN_KEY,
        BAD_SIGNATURE,
        ISSUED_IN_FUTURE,
        EXPIRED
    }

    /** The outcome of {@link #verify}. */
    public sealed interface Result permits Valid, Invalid {
    }

    /** A cookie whose signature and age check out; the session itself is not yet looked up. */
    public record Valid(SessionToken token, String kid, Instant issuedAt) implements Result {
    }

    public record Invalid(Reason reason) implements Result {
    }

    private final HmacSha256 hmac;
    private final Duration maxAge;
    private final Duration clockSkew;

    /**
     * @param activeKey the cookie key that signs
     * @param verifyingKeys every cookie key that may verify (retired keys are ignored)
     * @param maxAge the session's absolute lifetime: older envelopes are refused unread
     * @param clockSkew how far in the future an issued-at may lie
     */
    public SessionCookieCodec(HmacKey activeKey, List<HmacKey> verifyingKeys, Duration maxAge, Duration clockSkew) {
        for (HmacKey key : verifyingKeys) {
            requireUsableKid(key.kid());
        }
        requireUsableKid(activeKey.kid());
        this.hmac = new HmacSha256(activeKey, verifyingKeys);
        this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
        this.clockSkew = Objects.requireNonNull(clockSkew, "clockSkew");
    }

    /** The cookie value for a session token issued at {@code now}. */
    public String sign(SessionToken token, Instant now) {
        String body = hmac.signingKid() + '.' + now.getEpochSecond() + '.' + token.encoded();
        return body + '.' + hmac.sign(body);
    }

    /** Checks a presented value: shape, key, signature, then age. Never throws for any input. */
    public Result verify(String presented, Instant now) {
        if (presented == null || presented.length() > MAX_LENGTH || !hasFiveNonEmptyParts(presented)) {
            return new Invalid(Reason.MALFORMED);
        }
        int kidEnd = presented.indexOf('.');
        int iatEnd = presented.indexOf('.', kidEnd + 1);
        int macStart = presented.lastIndexOf('.') + 1;
        String kid = presented.substring(0, kidEnd);
        String body = presented.substring(0, macStart - 1);
        Optional<String> expectedMac = hmac.mac(kid, body);
        if (expectedMac.isEmpty()) {
            return new Invalid(Reason.UNKNOWN_KEY);
        }
        if (!Base64Url.constantTimeEquals(expectedMac.get(), presented.substring(macStart))) {
            return new Invalid(Reason.BAD_SIGNATURE);
        }
        // Signed by us from here on; still parsed strictly.
        Optional<Instant> issuedAt = parseEpochSeconds(presented.substring(kidEnd + 1, iatEnd));
        Optional<SessionToken> token = SessionToken.parse(presented.substring(iatEnd + 1, macStart - 1));
        if (issuedAt.isEmpty() || token.isEmpty()) {
            return new Invalid(Reason.MALFORMED);
        }
        if (issuedAt.get().isAfter(now.plus(clockSkew))) {
            return new Invalid(Reason.ISSUED_IN_FUTURE);
        }
        if (!now.isBefore(issuedAt.get().plus(maxAge))) {
            return new Invalid(Reason.EXPIRED);
        }
        return new Valid(token.get(), kid, issuedAt.get());
    }

    private static boolean hasFiveNonEmptyParts(String s) {
        int dots = 0;
        int partLength = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) != '.') {
                partLength++;
            } else if (partLength == 0 || ++dots > 4) {
                return false;
            } else {
                partLength = 0;
            }
        }
        return dots == 4 && partLength > 0;
    }

    private static Optional<Instant> parseEpochSeconds(String digits) {
        if (digits.isEmpty() || digits.length() > MAX_EPOCH_DIGITS) {
            return Optional.empty();
        }
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return Optional.empty();
            }
        }
        if (digits.length() > 1 && digits.charAt(0) == '0') {
            return Optional.empty();
        }
        return Optional.of(Instant.ofEpochSecond(Long.parseLong(digits)));
    }

    static void requireUsableKid(String kid) {
        if (kid.isEmpty() || kid.length() > MAX_KID_LENGTH || !Base64Url.isAlphabet(kid, 0, kid.length())) {
            throw new IllegalArgumentException(
                    "key id " + kid + " must be 1-" + MAX_KID_LENGTH + " characters of [A-Za-z0-9_-]");
        }
    }
}
