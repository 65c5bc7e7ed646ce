package dev.authfn.core.keys;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The current key set, read from its source at init and again once {@code interval} has passed,
 * so a rotation in Secrets Manager reaches warm functions without a redeploy. The first read must
 * succeed (a function without keys cannot start); a later failed read keeps the last good set,
 * reports the failure and tries again after the next interval. A read that returns the same JSON
 * as the last one keeps the same {@link KeySet} instance: what is built from a key set (the
 * credential codecs, and the token cache bound to their verifier) is rebuilt only when the keys
 * really changed, not every interval.
 */
public final class RefreshingKeySet implements Supplier<KeySet> {

    private final Supplier<String> source;
    private final Duration interval;
    private final Clock clock;
    private final Consumer<String> warnings;
    private volatile KeySet current;
    private String currentJson; // guarded by this after construction
    private volatile Instant nextRefresh;

    /**
     * @param source returns the key set JSON; may throw on failure
     * @param warnings receives one line per failed refresh, a JSON object with a reason code
     *     ({@code KEY_SOURCE_UNAVAILABLE}, {@code KEY_SET_INVALID}) and no key material
     * @throws dev.authfn.core.keys.KeySetException or the source's exception when the first read fails
     */
    public RefreshingKeySet(Supplier<String> source, Duration interval, Clock clock, Consumer<String> warnings) {
        this.source = Objects.requireNonNull(source, "source");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.warnings = Objects.requireNonNull(warnings, "warnings");
        this.currentJson = source.get();
        this.current = KeySet.parse(currentJson);
        this.nextRefresh = clock.instant().plus(interval);
    }

    @Override
    public KeySet get() {
        if (clock.instant().isBefore(nextRefresh)) {
            return current;
        }
        synchronized (this) {
            Instant now = clock.instant();
            if (now.isBefore(nextRefresh)) {
                return current;
            }
            nextRefresh = now.plus(interval);
            try {
                String json = source.get();
                if (!json.equals(currentJson)) {
                    current = KeySet.parse(json);
                    currentJson = json;
                }
            } catch (RuntimeException e) {
                warnings.accept(refreshFailed(e));
            }
            return current;
        }
    }

    /**
     * The one-line warning of a failed refresh, a JSON object in the shape of the functions' audit
     * events so that a log query can find it: {@code KEY_SET_INVALID} when the source answered
     * with JSON that is not a valid key set, else {@code KEY_SOURCE_UNAVAILABLE}. Only the
     * failure's class name goes in (an exception message could quote the answer, which holds keys).
     */
    static String refreshFailed(RuntimeException failure) {
        String reason = failure instanceof KeySetException ? "KEY_SET_INVALID" : "KEY_SOURCE_UNAVAILABLE";
        return "{\"level\":\"WARN\",\"event\":\"keys\",\"outcome\":\"refresh_failed\",\"reason\":\"" + reason
                + "\",\"cause\":\"" + failure.getClass().getSimpleName()
                + "\",\"detail\":\"keeping the previous key set until the next try\"}";
    }
}
