package dev.authfn.core.keys;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keys of one deployment: access-token signing keys ({@link KeyPurpose#JWT}), the HMAC keys
 * for session cookies and CSRF tokens, and the second factor's key ({@link KeyPurpose#MFA}), each
 * with a {@code kid} and a {@link KeyStatus}.
 *
 * <p>The JSON form is a JWK set whose keys carry two extra members, {@code "purpose"}
 * ({@code jwt|cookie|csrf|mfa}) and {@code "status"} ({@code active|verify-only|retired}). A key
 * set is valid when every kid is unique, jwt, cookie and csrf have exactly one active key each and
 * mfa at most one (key sets from before the second factor have no mfa key), JWT keys are private
 * RSA (at least 2048 bits, RS256 or PS256), EC P-256 (ES256), OKP Ed25519 (EdDSA) or oct (at
 * least 256 bits, HS256) keys whose {@code alg} fits the key type, and cookie, CSRF and mfa keys
 * are oct keys of at least 256 bits. Instances are immutable; {@link #rotate} and {@link #retire}
 * return new sets. {@code toString} shows kids, purposes and statuses only.
 */
public final class KeySet {

    private static final Comparator<KeyEntry> ACTIVE_FIRST = Comparator.comparing(KeyEntry::status);

    private final List<KeyEntry> entries;
    private final List<JwtKey> jwtKeys;
    private final Map<KeyPurpose, List<HmacKey>> hmacKeys = new EnumMap<>(KeyPurpose.class);

    private KeySet(List<KeyEntry> entries) {
        this.entries = List.copyOf(entries);
        List<KeyEntry> activeFirst = this.entries.stream().sorted(ACTIVE_FIRST).toList();
        this.jwtKeys = activeFirst.stream()
                .filter(entry -> entry.purpose() == KeyPurpose.JWT)
                .map(entry -> new JwtKey(entry.jwk(), entry.status()))
                .toList();
        for (KeyPurpose purpose : List.of(KeyPurpose.COOKIE, KeyPurpose.CSRF, KeyPurpose.MFA)) {
            hmacKeys.put(purpose, activeFirst.stream()
                    .filter(entry -> entry.purpose() == purpose)
                    .map(KeySet::toHmacKey)
                    .toList());
        }
    }

    /**
     * Reads and checks a key set.
     *
     * @throws KeySetException listing every problem found
     */
    public static KeySet parse(String json) {
        return new KeySet(KeySetRules.read(json));
    }

    /** A new key set signing access tokens with RS256 (what API Gateway's JWT authorizer accepts). */
    public static KeySet generate(Clock clock) {
        return generate(JWSAlgorithm.RS256, clock);
    }

    /**
     * A new key set: one active JWT key for {@code jwtAlgorithm} (RS256 and PS256: RSA 2048; ES256:
     * P-256; EdDSA: Ed25519; HS256: a 256-bit secret) and one active 256-bit key each for cookies,
     * CSRF tokens and the second factor. Kids are the purpose, the UTC day from {@code clock} and a
     * random suffix.
     */
    public static KeySet generate(JWSAlgorithm jwtAlgorithm, Clock clock) {
        return new KeySet(KeySetRules.check(List.of(
                new KeyEntry(NewKeys.jwt(jwtAlgorithm, NewKeys.kid(KeyPurpose.JWT, clock)), KeyPurpose.JWT, KeyStatus.ACTIVE),
                new KeyEntry(NewKeys.hmac(NewKeys.kid(KeyPurpose.COOKIE, clock)), KeyPurpose.COOKIE, KeyStatus.ACTIVE),
                new KeyEntry(NewKeys.hmac(NewKeys.kid(KeyPurpose.CSRF, clock)), KeyPurpose.CSRF, KeyStatus.ACTIVE),
                new KeyEntry(NewKeys.hmac(NewKeys.kid(KeyPurpose.MFA, clock)), KeyPurpose.MFA, KeyStatus.ACTIVE))));
    }

    /**
     * A copy with a new active key for {@code purpose} (a JWT key keeps the current algorithm); the
     * previous active key becomes verify-only, so credentials it signed stay valid until they expire.
     * For {@link KeyPurpose#MFA} on a key set that has no active mfa key (one from before the
     * second factor), this adds the first one.
     */
    public KeySet rotate(KeyPurpose purpose, Clock clock) {
        String kid = NewKeys.kid(purpose, clock);
        JWK fresh = purpose == KeyPurpose.JWT ? NewKeys.jwt(activeJwtKey().algorithm(), kid) : NewKeys.hmac(kid);
        return withNewActive(new KeyEntry(fresh, purpose, KeyStatus.ACTIVE));
    }

    /** Like {@link #rotate} for {@link KeyPurpose#JWT}, switching to {@code algorithm} (e.g. HS256 to RS256). */
    public KeySet rotateJwt(JWSAlgorithm algorithm, Clock clock) {
        JWK fresh = NewKeys.jwt(algorithm, NewKeys.kid(KeyPurpose.JWT, clock));
        return withNewActive(new KeyEntry(fresh, KeyPurpose.JWT, KeyStatus.ACTIVE));
    }

    /**
     * A copy in which the verify-only key {@code kid} is retired: it no longer verifies anything.
     *
     * @throws IllegalArgumentException when there is no such key or it is active (rotate first)
     */
    public KeySet retire(String kid) {
        KeyEntry target = entries.stream().filter(entry -> entry.kid().equals(kid)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no key with kid " + kid));
        if (target.status() == KeyStatus.ACTIVE) {
            throw new IllegalArgumentException("key " + kid + " is active; rotate before retiring it");
        }
        return new KeySet(entries.stream()
                .map(entry -> entry == target ? entry.withStatus(KeyStatus.RETIRED) : entry)
                .toList());
    }

    private KeySet withNewActive(KeyEntry fresh) {
        List<KeyEntry> next = new ArrayList<>();
        next.add(fresh);
        for (KeyEntry entry : entries) {
            boolean demoted = entry.purpose() == fresh.purpose() && entry.status() == KeyStatus.ACTIVE;
            next.add(demoted ? entry.withStatus(KeyStatus.VERIFY_ONLY) : entry);
        }
        return new KeySet(KeySetRules.check(next));
    }

    /**
     * The key that signs new cookies or CSRF tokens, or the active mfa key.
     *
     * @throws IllegalStateException for {@link KeyPurpose#MFA} when the key set has no active mfa
     *     key; {@link #activeMfaKey()} answers that case as a value
     */
    public HmacKey activeHmac(KeyPurpose purpose) {
        return activeHmacIfAny(purpose).orElseThrow(() -> new IllegalStateException(
                "the key set has no active " + purpose.wireName() + " key; add one with rotate("
                        + purpose.name() + ")"));
    }

    /**
     * The active mfa key, from which the second factor's subkeys are derived; empty for a key set
     * from before the second factor (or one whose mfa keys are all verify-only or retired).
     */
    public Optional<HmacKey> activeMfaKey() {
        return activeHmacIfAny(KeyPurpose.MFA);
    }

    private Optional<HmacKey> activeHmacIfAny(KeyPurpose purpose) {
        return hmacKeysFor(purpose).stream().filter(key -> key.status() == KeyStatus.ACTIVE).findFirst();
    }

    /** The active or verify-only key {@code kid} of this purpose; empty when unknown or retired. */
    public Optional<HmacKey> hmac(KeyPurpose purpose, String kid) {
        return verifyingHmacs(purpose).stream().filter(key -> key.kid().equals(kid)).findFirst();
    }

    /** The keys that verify cookies, CSRF tokens or (for mfa) open what they sealed, active first. */
    public List<HmacKey> verifyingHmacs(KeyPurpose purpose) {
        return hmacKeysFor(purpose).stream().filter(HmacKey::canVerify).toList();
    }

    /** The key that signs new access tokens. */
    public JwtKey activeJwtKey() {
        return jwtKeys.getFirst();
    }

    /** The keys that verify access tokens (active and verify-only), active first. */
    public List<JwtKey> verifyingJwtKeys() {
        return jwtKeys.stream().filter(JwtKey::canVerify).toList();
    }

    /**
     * What {@code /.well-known/jwks.json} publishes: the public parts of the non-retired JWT keys.
     * HS256 secrets and cookie, CSRF and mfa keys are never published.
     */
    public JWKSet publicJwks() {
        return new JWKSet(verifyingJwtKeys().stream().flatMap(key -> key.publicJwk().stream()).toList());
    }

    /** {@link #publicJwks()} as the JSON object the JWKS endpoint answers ({@code {"keys":[…]}}). */
    public Map<String, Object> publicJwksJson() {
        return publicJwks().toJSONObject(true);
    }

    /** The full private key set as JSON, purpose and status included, for the admin CLI and the secret. */
    public String toJson() {
        return JSONObjectUtils.toJSONString(Map.of("keys", entries.stream().map(KeyEntry::toJsonObject).toList()));
    }

    private List<HmacKey> hmacKeysFor(KeyPurpose purpose) {
        List<HmacKey> keys = hmacKeys.get(Objects.requireNonNull(purpose, "purpose"));
        if (keys == null) {
            throw new IllegalArgumentException(purpose + " keys are not HMAC keys; use activeJwtKey()");
        }
        return keys;
    }

    private static HmacKey toHmacKey(KeyEntry entry) {
        byte[] secret = ((OctetSequenceKey) entry.jwk()).toByteArray();
        return new HmacKey(entry.kid(), new SecretKeySpec(secret, HmacKey.ALGORITHM), entry.status());
    }

    @Override
    public String toString() {
        return "KeySet" + entries;
    }
}
