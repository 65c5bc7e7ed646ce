package dev.authfn.core.keys;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.authfn.core.keys.internal.Ed25519Jdk;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and checks key sets. Every check runs and every problem is collected before anything is
 * thrown, so an operator fixes a bad key set in one go. Problems never quote key material, nor
 * nimbus's parse messages (which could).
 */
final class KeySetRules {
    static final int MIN_RSA_BITS = 2048;
    static final int MIN_SECRET_BITS = 256;
    private static final String PURPOSE_NAMES = String.join(", ",
            Arrays.stream(KeyPurpose.values()).map(KeyPurpose::wireName).toList());

    private KeySetRules() {}

    /** A key as read from JSON; {@code jwk}, {@code purpose} or {@code status} is null when unusable. */
    private record Candidate(String label, String kid, JWK jwk, KeyPurpose purpose, KeyStatus status) {

        static Candidate of(KeyEntry entry) {
            return new Candidate(labelFor(entry.kid(), -1), entry.kid(), entry.jwk(), entry.purpose(), entry.status());
        }

        KeyEntry toEntry() {
            return new KeyEntry(jwk, purpose, status);
        }
    }

    /** Parses key set JSON and checks it; throws {@link KeySetException} listing every problem. */
    static List<KeyEntry> read(String json) {
        Map<String, Object>[] keys;
        try {
            keys = JSONObjectUtils.getJSONObjectArray(JSONObjectUtils.parse(json), "keys");
        } catch (ParseException | RuntimeException e) {
            keys = null;
        }
        if (keys == null) {
            throw new KeySetException(List.of("not a JSON object with a \"keys\" array of JWK objects"));
        }
        List<String> problems = new ArrayList<>();
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < keys.length; i++) {
            candidates.add(read(i, keys[i], problems));
        }
        return checked(candidates, problems);
    }

    /** Checks entries built in code (generated or rotated) by the same rules as parsed ones. */
    static List<KeyEntry> check(List<KeyEntry> entries) {
        return checked(entries.stream().map(Candidate::of).toList(), new ArrayList<>());
    }

    private static List<KeyEntry> checked(List<Candidate> candidates, List<String> problems) {
        for (Candidate candidate : candidates) {
            if (candidate.jwk() != null && candidate.purpose() != null) {
                checkMaterial(candidate.label(), candidate.jwk(), candidate.purpose(), problems);
            }
        }
        checkKidsUnique(candidates, problems);
        checkOneActivePerPurpose(candidates, problems);
        if (!problems.isEmpty()) {
            throw new KeySetException(problems);
        }
        return candidates.stream().map(Candidate::toEntry).toList();
    }

    private static Candidate read(int index, Map<String, Object> json, List<String> problems) {
        String kid = json.get("kid") instanceof String text && !text.isBlank() ? text : null;
        String label = labelFor(kid, index);
        if (kid == null) {
            problems.add(label + ": kid is missing");
        }
        KeyPurpose purpose = null;
        for (KeyPurpose value : KeyPurpose.values()) {
            if (value.wireName().equals(json.get(KeyEntry.PURPOSE_MEMBER))) {
                purpose = value;
            }
        }
        if (purpose == null) {
            problems.add(label + ": purpose must be one of " + PURPOSE_NAMES);
        }
        KeyStatus status = null;
        for (KeyStatus value : KeyStatus.values()) {
            if (value.wireName().equals(json.get(KeyEntry.STATUS_MEMBER))) {
                status = value;
            }
        }
        if (status == null) {
            problems.add(label + ": status must be one of active, verify-only, retired");
        }
        JWK jwk = null;
        try {
            jwk = JWK.parse(json); // ignores the purpose and status members
        } catch (ParseException | RuntimeException e) {
            problems.add(label + ": not a valid JWK");
        }
        return new Candidate(label, kid, jwk, purpose, status);
    }

    private static String labelFor(String kid, int index) {
        return kid != null ? "key \"" + kid + "\"" : "keys[" + index + "]";
    }

    private static void checkMaterial(String label, JWK jwk, KeyPurpose purpose, List<String> problems) {
        if (purpose == KeyPurpose.JWT) {
            checkJwtKey(label, jwk, problems);
        } else {
            checkHmacKey(label, jwk, purpose, problems);
        }
    }

    private static void checkJwtKey(String label, JWK jwk, List<String> problems) {
        if (!jwk.isPrivate()) {
            problems.add(label + ": a jwt key must include its private part");
        }
        if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
            problems.add(label + ": use must be sig");
        }
        String weakness = weakness(jwk);
        if (weakness != null) {
            problems.add(label + ": " + weakness);
        }
        if (jwk.getAlgorithm() == null) {
            problems.add(label + ": alg is missing");
        } else if (!algorithmsFor(jwk).contains(JWSAlgorithm.parse(jwk.getAlgorithm().getName()))) {
            problems.add(label + ": alg " + jwk.getAlgorithm().getName() + " does not fit a "
                    + jwk.getKeyType() + " key (allowed: " + algorithmNames(jwk) + ")");
        }
    }

    private static void checkHmacKey(String label, JWK jwk, KeyPurpose purpose, List<String> problems) {
        String article = purpose == KeyPurpose.MFA ? "an " : "a ";
        if (!(jwk instanceof OctetSequenceKey secret)) {
            problems.add(label + ": " + article + purpose.wireName() + " key must be an oct key");
        } else if (secret.size() < MIN_SECRET_BITS) {
            problems.add(label + ": oct key has " + secret.size() + " bits, needs at least " + MIN_SECRET_BITS);
        }
        if (jwk.getAlgorithm() != null && !JWSAlgorithm.HS256.getName().equals(jwk.getAlgorithm().getName())) {
            problems.add(label + ": alg of " + article + purpose.wireName() + " key must be HS256 or absent");
        }
    }

    /** Why this key is too weak or of an unsupported kind for a JWT key, or null when it is fine. */
    private static String weakness(JWK jwk) {
        return switch (jwk) {
            case RSAKey rsa when rsa.size() < MIN_RSA_BITS ->
                    "RSA key has " + rsa.size() + " bits, needs at least " + MIN_RSA_BITS;
            case ECKey ec when !Curve.P_256.equals(ec.getCurve()) -> "EC key must be on curve P-256";
            case OctetKeyPair okp when !Curve.Ed25519.equals(okp.getCurve()) -> "OKP key must be on curve Ed25519";
            case OctetKeyPair okp when okp.getDecodedX().length != Ed25519Jdk.KEY_BYTES
                    || okp.isPrivate() && okp.getDecodedD().length != Ed25519Jdk.KEY_BYTES ->
                    "Ed25519 key must have 32-byte x and d";
            case OctetSequenceKey secret when secret.size() < MIN_SECRET_BITS ->
                    "oct key has " + secret.size() + " bits, needs at least " + MIN_SECRET_BITS;
            case RSAKey rsa -> null;
            case ECKey ec -> null;
            case OctetKeyPair okp -> null;
            case OctetSequenceKey secret -> null;
            default -> "kty " + jwk.getKeyType() + " is not supported";
        };
    }

    /** The algorithms a key of this type may carry: the allowlist is bound to the key type. */
    static Set<JWSAlgorithm> algorithmsFor(JWK jwk) {
        return switch (jwk) {
            case RSAKey rsa -> Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256);
            case ECKey ec -> Set.of(JWSAlgorithm.ES256);
            case OctetKeyPair okp -> Set.of(JWSAlgorithm.EdDSA);
            case OctetSequenceKey secret -> Set.of(JWSAlgorithm.HS256);
            default -> Set.of();
        };
    }

    private static String algorithmNames(JWK jwk) {
        return algorithmsFor(jwk).stream().map(JWSAlgorithm::getName).sorted().reduce((a, b) -> a + ", " + b)
                .orElse("none");
    }

    private static void checkKidsUnique(List<Candidate> candidates, List<String> problems) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Candidate candidate : candidates) {
            if (candidate.kid() != null) {
                counts.merge(candidate.kid(), 1, Integer::sum);
            }
        }
        counts.forEach((kid, count) -> {
            if (count > 1) {
                problems.add("kid \"" + kid + "\" is used by " + count + " keys");
            }
        });
    }

    /**
     * Exactly one active key for jwt, cookie and csrf; at most one for mfa, which key sets from
     * before the second factor lack (a deployment without one just cannot enrol a factor yet).
     */
    private static void checkOneActivePerPurpose(List<Candidate> candidates, List<String> problems) {
        for (KeyPurpose purpose : KeyPurpose.values()) {
            long active = candidates.stream()
                    .filter(c -> c.purpose() == purpose && c.status() == KeyStatus.ACTIVE)
                    .count();
            if (purpose == KeyPurpose.MFA) {
                if (active > 1) {
                    problems.add(purpose.wireName() + " has " + active + " active keys, needs at most 1");
                }
            } else if (active != 1) {
                problems.add(purpose.wireName() + " has " + active + " active keys, needs exactly 1");
            }
        }
    }
}
