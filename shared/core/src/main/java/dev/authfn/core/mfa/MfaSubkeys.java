package dev.authfn.core.mfa;

import dev.authfn.core.internal.Base64Url;
import dev.authfn.core.keys.HmacKey;
import dev.authfn.core.keys.KeyPurpose;
import dev.authfn.core.keys.KeySet;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.spec.SecretKeySpec;

/**
 * The subkeys of one use of the mfa keys (sealing TOTP secrets, or MACing {@code mfa_token}s),
 * derived once per key set: {@code HKDF-Expand(mfa key, info)} for every active or verify-only mfa
 * key, by kid. A distinct {@code info} per use means that no two uses ever share a key, and the
 * key set's key itself never keys a cipher or a MAC over data.
 */
final class MfaSubkeys {

    /** Longest kid that may stand in a sealed secret: the same bound as in the session cookie. */
    static final int MAX_KID_LENGTH = 64;

    private final Optional<String> activeKid;
    private final Map<String, SecretKeySpec> byKid;

    /**
     * @param algorithm the JCA name the subkeys are for ({@code AES} or {@code HmacSHA256})
     * @throws IllegalArgumentException when an mfa key's kid could not stand in a sealed secret
     *     or a token (1 to 64 characters of [A-Za-z0-9_-], as generated kids are)
     */
    MfaSubkeys(KeySet keySet, String info, String algorithm) {
        byte[] infoBytes = info.getBytes(StandardCharsets.US_ASCII);
        Map<String, SecretKeySpec> derived = new LinkedHashMap<>(); // verifyingHmacs: active first
        for (HmacKey key : keySet.verifyingHmacs(KeyPurpose.MFA)) {
            if (!isUsableKid(key.kid())) {
                throw new IllegalArgumentException(
                        "mfa key id " + key.kid() + " must be 1-" + MAX_KID_LENGTH + " characters of [A-Za-z0-9_-]");
            }
            derived.put(key.kid(), new SecretKeySpec(Hkdf.expand(key.secret(), infoBytes), algorithm));
        }
        this.byKid = Collections.unmodifiableMap(derived);
        this.activeKid = keySet.activeMfaKey().map(HmacKey::kid);
    }

    static boolean isUsableKid(String kid) {
        return !kid.isEmpty() && kid.length() <= MAX_KID_LENGTH && Base64Url.isAlphabet(kid, 0, kid.length());
    }

    /**
     * The kid of the active mfa key.
     *
     * @throws IllegalStateException when the key set has no active mfa key (one from before the
     *     second factor): nothing new can be sealed or issued until one is added
     */
    String activeKid() {
        return activeKid.orElseThrow(() -> new IllegalStateException(
                "the key set has no active mfa key; add one with ./authfn keys rotate mfa"));
    }

    /** The subkey of an active or verify-only mfa key; empty for an unknown or retired kid. */
    Optional<SecretKeySpec> subkey(String kid) {
        return Optional.ofNullable(byKid.get(kid));
    }

    /** Every verifying kid with its subkey, the active one (if any) first. */
    Collection<Map.Entry<String, SecretKeySpec>> activeFirst() {
        return byKid.entrySet();
    }
}
