package dev.authfn.core.authz;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How strong and how recent a login a route needs (RFC 9470 step-up): a second factor
 * ({@code mfa}), one of some authentication context classes ({@code acr}), a login no older than
 * {@code maxAge}, or any of these together. A principal that misses any of them is refused with
 * {@link #challenge()}, never with a plain 403: it is who it says, it only has to log in again,
 * more strongly or more recently.
 *
 * <p>A route policy rule carries one ({@link RoutePolicy.Rule#stepUp()}); a handler can demand one
 * in code too, for example {@code StepUp.recentLogin(Duration.ofMinutes(5))} before changing a
 * second factor.
 *
 * @param mfa whether {@link Principal#amr()} must hold {@code mfa}
 * @param acrValues {@link Principal#acr()} must be one of these, in order of preference; empty:
 *     any class
 * @param maxAge {@code now - authTime} must be at most this; a principal whose authentication
 *     time is unknown never passes. Whole seconds, from one second to one day.
 */
public record StepUp(boolean mfa, List<String> acrValues, Optional<Duration> maxAge) {

    /** The longest {@code max_age}: a day, so that a rule is about a login, not about a session. */
    public static final Duration MAX_MAX_AGE = Duration.ofDays(1);

    /** No step-up: any authenticated principal passes. */
    public static final StepUp NONE = new StepUp(false, List.of(), Optional.empty());

    public StepUp {
        acrValues = List.copyOf(new LinkedHashSet<>(acrValues));
        Objects.requireNonNull(maxAge, "maxAge");
        for (String acr : acrValues) {
            if (!Acr.KNOWN.contains(acr)) {
                throw new IllegalArgumentException("not an authentication context class authfn knows");
            }
        }
        if (mfa && !acrValues.isEmpty() && !acrValues.contains(Acr.MFA)) {
            throw new IllegalArgumentException("mfa with acr values that exclude " + Acr.MFA + " can never be met");
        }
        maxAge.ifPresent(StepUp::requireValidMaxAge);
    }

    /** A login no older than {@code maxAge} (at most a day, whole seconds), however strong. */
    public static StepUp recentLogin(Duration maxAge) {
        return new StepUp(false, List.of(), Optional.of(maxAge));
    }

    /** A session established with a second factor, however long ago. */
    public static StepUp multiFactor() {
        return new StepUp(true, List.of(), Optional.empty());
    }

    /** Whether it demands anything at all. */
    public boolean isNone() {
        return !mfa && acrValues.isEmpty() && maxAge.isEmpty();
    }

    /** Whether {@code principal}'s login meets every demand at {@code now}; a login exactly {@code maxAge} old does. */
    public boolean isMetBy(Principal principal, Instant now) {
        Objects.requireNonNull(principal, "principal");
        if (mfa && !principal.amr().contains(Amr.MFA)) {
            return false;
        }
        if (!acrValues.isEmpty() && !acrValues.contains(principal.acr())) {
            return false;
        }
        return maxAge.isEmpty() || principal.authTime()
                .filter(authTime -> Duration.between(authTime, now).compareTo(maxAge.get()) <= 0)
                .isPresent();
    }

    /**
     * The challenge for a principal that does not meet it: {@code acr_values} are the rule's
     * classes, or {@link Acr#MFA} for {@code mfa} alone; {@code max_age} is the rule's.
     *
     * @throws IllegalStateException for {@link #NONE}, which nobody fails
     */
    public StepUpChallenge challenge() {
        if (isNone()) {
            throw new IllegalStateException("a rule without step-up has no challenge");
        }
        List<String> classes = !acrValues.isEmpty() ? acrValues : mfa ? List.of(Acr.MFA) : List.of();
        return new StepUpChallenge(classes, maxAge);
    }

    /** Empty when {@code principal} meets it at {@code now}, else the challenge to answer with. */
    public Optional<StepUpChallenge> check(Principal principal, Instant now) {
        return isMetBy(principal, now) ? Optional.empty() : Optional.of(challenge());
    }

    private static void requireValidMaxAge(Duration maxAge) {
        if (maxAge.isNegative() || maxAge.isZero() || maxAge.compareTo(MAX_MAX_AGE) > 0 || maxAge.getNano() != 0) {
            throw new IllegalArgumentException("max_age must be whole seconds, from one second to one day");
        }
    }
}
