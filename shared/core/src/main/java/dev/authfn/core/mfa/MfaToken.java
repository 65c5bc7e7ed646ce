package dev.authfn.core.mfa;

import dev.authfn.core.internal.Base64Url;
import dev.authfn.core.json.Json;
import dev.authfn.core.keys.KeySet;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code mfa_token} a correct password answers with when the user has a second factor: proof
 * that the password was right, for {@value #LIFETIME_MINUTES} minutes, for one user and one login
 * attempt. It is {@code <base64url payload>.<base64url HMAC-SHA256(payload)>}, the MAC over the
 * payload's base64url text under {@code HKDF-Expand(mfa key, "authfn/mfa/token/v1")}; the payload
 * is the JSON object
 * {@code {"v":1,"kid":…,"sub":<user id>,"name":<username>,"att":<attempt id>,"exp":<epoch seconds>}}.
 *
 * <p>The attempt id is 256 random bits; the token carries it (base64url) and the server stores only
 * {@link Issued#attemptHash()}, the base64url SHA-256 of that base64url text, so that the first success can spend the attempt (a
 * conditional write on the hash) and a copied token is worth nothing after it.
 *
 * <p>{@link #verify} checks in a fixed order: length (at most {@value #MAX_LENGTH} characters,
 * before anything is read), shape, the MAC under each active or verify-only mfa key in turn
 * (there are one or two), and only then the payload, strictly: exactly these members, version 1,
 * the kid of the key whose MAC matched, and {@code now} before {@code exp}. The payload is never
 * read before a MAC of ours matched.
 */
public final class MfaToken {

    static final String INFO = "authfn/mfa/token/v1";
    static final int LIFETIME_MINUTES = 5;
    public static final Duration LIFETIME = Duration.ofMinutes(LIFETIME_MINUTES);
    /** Longer tokens are refused unread; a real one is about 250 characters. */
    public static final int MAX_LENGTH = 1024;
    static final long VERSION = 1;
    static final int ATTEMPT_BYTES = 32;
    private static final int MAC_LENGTH = Base64Url.encodedLength(32);
    private static final int ATTEMPT_LENGTH = Base64Url.encodedLength(ATTEMPT_BYTES);
    private static final String HMAC_SHA256 = "HmacSHA256";
    private static final Set<String> MEMBERS = Set.of("v", "kid", "sub", "name", "att", "exp");

    /**
     * A token just issued: hand {@code token} to the client, store {@code attemptHash} until
     * {@code expiresAt}. {@code toString} never shows the token.
     */
    public record Issued(String token, String attemptHash, Instant expiresAt) {
        @Override
        public String toString() {
            return "Issued[token=<redacted>, attemptHash=" + attemptHash + ", expiresAt=" + expiresAt + "]";
        }
    }

    /** What a verified token says; spend {@code attemptHash} before acting on it. */
    public record Verified(String userId, String username, String attemptHash, Instant expiresAt) {
    }

    private final MfaSubkeys keys;
    private final SecureRandom random;

    /**
     * Derives a MAC subkey for every active and verify-only mfa key of {@code keySet}.
     *
     * @throws IllegalArgumentException when an mfa kid is not 1-64 characters of [A-Za-z0-9_-]
     */
    public MfaToken(KeySet keySet, SecureRandom random) {
        this.keys = new MfaSubkeys(keySet, INFO, HMAC_SHA256);
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * A token for one login attempt of this user, valid until {@code now} (to the second, rounded
     * down) plus five minutes, MACed under the active mfa key.
     *
     * @throws IllegalStateException when the key set has no active mfa key
     * @throws IllegalArgumentException when the user id or username is empty, or they are so long
     *     that the token would pass {@value #MAX_LENGTH} characters
     */
    public Issued issue(String userId, String username, Instant now) {
        if (userId.isEmpty() || username.isEmpty()) {
            throw new IllegalArgumentException("an mfa token needs a user id and a username");
        }
        String kid = keys.activeKid();
        byte[] attempt = new byte[ATTEMPT_BYTES];
        random.nextBytes(attempt);
        String attemptId = Base64Url.encode(attempt);
        Instant expiresAt = now.truncatedTo(ChronoUnit.SECONDS).plus(LIFETIME);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("v", VERSION);
        payload.put("kid", kid);
        payload.put("sub", userId);
        payload.put("name", username);
        payload.put("att", attemptId);
        payload.put("exp", expiresAt.getEpochSecond());
        String body = Base64Url.encode(Json.write(payload).getBytes(StandardCharsets.UTF_8));
        String token = body + '.' + mac(keys.subkey(kid).orElseThrow(), body);
        if (token.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("the user id and username make an mfa token over " + MAX_LENGTH
                    + " characters");
        }
        return new Issued(token, attemptHash(attemptId), expiresAt);
    }

    /**
     * The user and attempt of a token we issued that has not expired; empty for anything else
     * (tampered, truncated, expired at or after {@code expiresAt}, MACed with an unknown or retired
     * key, another version, over {@value #MAX_LENGTH} characters, null). Never throws.
     */
    public Optional<Verified> verify(String presentedToken, Instant now) {
        if (presentedToken == null || presentedToken.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        int dot = presentedToken.indexOf('.');
        if (dot <= 0 || presentedToken.length() - dot - 1 != MAC_LENGTH
                || !Base64Url.isCanonical(presentedToken, 0, dot)
                || !Base64Url.isCanonical(presentedToken, dot + 1, presentedToken.length())) {
            return Optional.empty();
        }
        String body = presentedToken.substring(0, dot);
        String presentedMac = presentedToken.substring(dot + 1);
        for (Map.Entry<String, SecretKeySpec> key : keys.activeFirst()) {
            if (Base64Url.constantTimeEquals(mac(key.getValue(), body), presentedMac)) {
                return readPayload(body, key.getKey(), now);
            }
        }
        return Optional.empty();
    }

    /** The payload a key of ours MACed: still read strictly, as it may be of another version. */
    private static Optional<Verified> readPayload(String body, String kid, Instant now) {
        String json;
        try {
            json = StandardCharsets.UTF_8.newDecoder()
                    .decode(ByteBuffer.wrap(Base64.getUrlDecoder().decode(body))).toString();
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
        Map<String, Object> payload = Json.parseObject(json).orElse(Map.of());
        if (!payload.keySet().equals(MEMBERS)
                || !(payload.get("v") instanceof Long version) || version != VERSION
                || !kid.equals(payload.get("kid"))
                || !(payload.get("sub") instanceof String userId) || userId.isEmpty()
                || !(payload.get("name") instanceof String username) || username.isEmpty()
                || !(payload.get("att") instanceof String attemptId) || attemptId.length() != ATTEMPT_LENGTH
                || !Base64Url.isCanonical(attemptId, 0, ATTEMPT_LENGTH)
                || !(payload.get("exp") instanceof Long exp) || exp < 0 || exp > Instant.MAX.getEpochSecond()) {
            return Optional.empty();
        }
        Instant expiresAt = Instant.ofEpochSecond(exp);
        if (!now.isBefore(expiresAt)) {
            return Optional.empty();
        }
        return Optional.of(new Verified(userId, username, attemptHash(attemptId), expiresAt));
    }

    /** base64url(SHA-256(the attempt id's base64url text)), what the server stores of the attempt. */
    static String attemptHash(String attemptId) {
        return Base64Url.sha256(attemptId);
    }

    private static String mac(SecretKeySpec key, String body) {
        try {
            Mac mac = Mac.getInstance(HMAC_SHA256);
            mac.init(key);
            return Base64Url.encode(mac.doFinal(body.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable for the mfa token", e);
        }
    }
}
