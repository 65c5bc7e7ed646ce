package dev.authfn.core.internal;

import dev.authfn.core.keys.HmacKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;

/**
 * HMAC-SHA256 under the keys of one purpose, looked up by key id. Each key's {@link Mac} is
 * initialised on first use in each thread and reused, so a verification allocates only its
 * output. Nothing is made at construction: the first {@code Mac} loads the JDK's JCE provider,
 * about 20 ms of a cold start that (for a bearer token) may need no HMAC; HmacSHA256 is one of
 * the algorithms every Java platform must provide, so there is no failure to bring forward.
 */
public final class HmacSha256 {

    private final HmacKey signingKey;
    private final Map<String, ThreadLocal<Mac>> macsByKid;

    /**
     * @param signingKey the active key, used by {@link #sign}
     * @param verifyingKeys every key that may verify (active and verify-only)
     */
    public HmacSha256(HmacKey signingKey, List<HmacKey> verifyingKeys) {
        this.signingKey = signingKey;
        Map<String, ThreadLocal<Mac>> macs = new HashMap<>();
        for (HmacKey key : verifyingKeys) {
            if (key.canVerify()) {
                macs.put(key.kid(), ThreadLocal.withInitial(() -> newMac(key)));
            }
        }
        macs.put(signingKey.kid(), ThreadLocal.withInitial(() -> newMac(signingKey)));
        this.macsByKid = Map.copyOf(macs);
    }

    public String signingKid() {
        return signingKey.kid();
    }

    public boolean knows(String kid) {
        return macsByKid.containsKey(kid);
    }

    /** base64url(HMAC(active key, message)). */
    public String sign(String message) {
        return mac(signingKey.kid(), message).orElseThrow();
    }

    /** base64url(HMAC(key kid, message)), or empty when {@code kid} is not a verifying key. */
    public Optional<String> mac(String kid, String message) {
        ThreadLocal<Mac> local = macsByKid.get(kid);
        if (local == null) {
            return Optional.empty();
        }
        Mac mac = local.get();
        return Optional.of(Base64Url.encode(mac.doFinal(message.getBytes(StandardCharsets.US_ASCII))));
    }

    private static Mac newMac(HmacKey key) {
        try {
            Mac mac = Mac.getInstance(HmacKey.ALGORITHM);
            mac.init(key.secret());
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable for key " + key.kid(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 failed for key " + key.kid(), e);
        }
    }
}
