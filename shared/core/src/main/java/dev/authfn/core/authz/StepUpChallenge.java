package dev.authfn.core.authz;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a refused request must do to pass a {@link StepUp} rule, as the RFC 9470 challenge a
 * {@code 401} carries in {@code WWW-Authenticate}. The one place that writes that header value:
 *
 * <pre>{@code Bearer error="insufficient_user_authentication", error_description="A recent multi-factor login is required", acr_values="urn:authfn:acr:mfa", max_age=900}</pre>
 *
 * <p>{@code acr_values} (RFC 9470 §3: space-separated, in order of preference) is there only when
 * the rule demands a class or {@code mfa}; {@code max_age} only when it demands a recent login, in
 * whole seconds. Every value is fixed text, a known {@link Acr} value or a number, so nothing a
 * caller sent can reach the header.
 *
 * @param acrValues the classes that would pass, in order; empty when the rule demands none
 * @param maxAge the oldest login that would pass, whole seconds; empty when the rule sets none
 */
public record StepUpChallenge(List<String> acrValues, Optional<Duration> maxAge) {

    /** The RFC 9470 error code. */
    public static final String ERROR = "insufficient_user_authentication";

    public StepUpChallenge {
        acrValues = List.copyOf(acrValues);
        Objects.requireNonNull(maxAge, "maxAge");
        if (acrValues.isEmpty() && maxAge.isEmpty()) {
            throw new IllegalArgumentException("a challenge asks for a class, a recent login or both");
        }
        for (String acr : acrValues) {
            if (!Acr.KNOWN.contains(acr)) {
                throw new IllegalArgumentException("not an authentication context class authfn knows");
            }
        }
    }

    /** The {@code WWW-Authenticate} value of the {@code 401}. */
    public String wwwAuthenticate() {
        StringBuilder header = new StringBuilder("Bearer error=\"").append(ERROR)
                .append("\", error_description=\"").append(description()).append('"');
        if (!acrValues.isEmpty()) {
            header.append(", acr_values=\"").append(String.join(" ", acrValues)).append('"');
        }
        maxAge.ifPresent(age -> header.append(", max_age=").append(age.toSeconds()));
        return header.toString();
    }

    /** The {@code error_description}: what is missing, in words, never the caller's data. */
    public String description() {
        boolean multiFactor = acrValues.equals(List.of(Acr.MFA));
        if (maxAge.isEmpty()) {
            return multiFactor ? "A multi-factor login is required" : "A different authentication level is required";
        }
        if (acrValues.isEmpty()) {
            return "A more recent login is required";
        }
        return multiFactor ? "A recent multi-factor login is required"
                : "A more recent login at a different authentication level is required";
    }
}
