package dev.authfn.auth;

import dev.authfn.core.jwt.AccessTokenResult;
import dev.authfn.core.jwt.AccessTokenVerifier;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Access tokens this instance has verified, keyed by the whole presented token, so that a client
 * sending the same token again (as it does on every request until it refreshes) costs a map
 * lookup instead of a signature verification.
 *
 * <ul>
 *   <li><b>Bounded:</b> at most {@code maxEntries} tokens; the least recently used goes first.</li>
 *   <li><b>Never past {@code exp}:</b> an entry is served only while {@code now} is before the
 *       token's {@code exp}, without the clock skew the verifier grants, and a token verified
 *       within that skew is not remembered at all.</li>
 *   <li><b>Bound to its verifier:</b> an entry is served only for the verifier that verified it,
 *       so after a key set rotation (new codecs, new verifier) every token is verified afresh and
 *       a retired key's tokens are refused.</li>
 *   <li><b>Only the token:</b> it stands in for the signature and claims checks, nothing else.
 *       Whether the token's session is still live is the caller's to check on every request.</li>
 * </ul>
 *
 * <p>Only {@link AccessTokenResult.Verified} results are remembered; a refused token is checked
 * again each time. The token's content is compared only after its {@code hashCode} matched a
 * stored token's (how {@link java.util.HashMap} finds keys), and only tokens we signed are ever
 * stored. Thread-safe.
 */
public final class VerifiedTokenCache {

    /** About 1.5 MB at the size of authfn's RS256 access tokens. */
    public static final int DEFAULT_MAX_ENTRIES = 1024;

    private record Remembered(Object verifiedBy, AccessTokenResult.Verified result) {
    }

    private final int maxEntries;
    private final Map<String, Remembered> entries; // guarded by this

    /** @param maxEntries how many tokens to remember; {@code 0} remembers none */
    public VerifiedTokenCache(int maxEntries) {
        if (maxEntries < 0) {
            throw new IllegalArgumentException("maxEntries must not be negative");
        }
        this.maxEntries = maxEntries;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Remembered> eldest) {
                return size() > VerifiedTokenCache.this.maxEntries;
            }
        };
    }

    /** A cache that remembers nothing: every token is verified. */
    public static VerifiedTokenCache disabled() {
        return new VerifiedTokenCache(0);
    }

    /**
     * The verifier's result for {@code presentedToken}, from memory when this verifier verified it
     * before and it has not expired at {@code now}.
     */
    public AccessTokenResult verify(String presentedToken, AccessTokenVerifier verifier, Instant now) {
        AccessTokenResult.Verified remembered = lookup(presentedToken, verifier, now);
        if (remembered != null) {
            return remembered;
        }
        AccessTokenResult result = verifier.verify(presentedToken);
        remember(presentedToken, verifier, result, now);
        return result;
    }

    /** As {@link #verify(String, AccessTokenVerifier, Instant)}, with any verification function (for tests). */
    AccessTokenResult verify(String presentedToken, Object verifiedBy, Function<String, AccessTokenResult> verification,
            Instant now) {
        AccessTokenResult.Verified remembered = lookup(presentedToken, verifiedBy, now);
        if (remembered != null) {
            return remembered;
        }
        AccessTokenResult result = verification.apply(presentedToken);
        remember(presentedToken, verifiedBy, result, now);
        return result;
    }

    /** How many tokens it holds now. */
    public synchronized int size() {
        return entries.size();
    }

    public int maxEntries() {
        return maxEntries;
    }

    private AccessTokenResult.Verified lookup(String presentedToken, Object verifiedBy, Instant now) {
        if (maxEntries == 0 || presentedToken == null) {
            return null;
        }
        synchronized (this) {
            Remembered entry = entries.get(presentedToken);
            if (entry == null) {
                return null;
            }
            if (entry.verifiedBy() != verifiedBy || !now.isBefore(entry.result().claims().expiresAt())) {
                entries.remove(presentedToken);
                return null;
            }
            return entry.result();
        }
    }

    private void remember(String presentedToken, Object verifiedBy, AccessTokenResult result, Instant now) {
        if (maxEntries == 0 || !(result instanceof AccessTokenResult.Verified verified)
                || !now.isBefore(verified.claims().expiresAt())) {
            return;
        }
        Objects.requireNonNull(verifiedBy, "verifiedBy");
        synchronized (this) {
            entries.put(presentedToken, new Remembered(verifiedBy, verified));
        }
    }
}
