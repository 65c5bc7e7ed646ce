package dev.authfn.password.policy;

import dev.authfn.core.OnFirstUse;
import dev.authfn.core.json.Json;
import dev.authfn.core.password.PasswordHasher;
import dev.authfn.core.password.PasswordPolicy;
import dev.authfn.core.user.Usernames;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The {@link PasswordPolicy}, NIST SP 800-63B rev. 4 section 3.1.1.2. The checks, in order, each
 * on the password's NFKC form ({@link PasswordHasher#normalized}):
 *
 * <ol>
 *   <li>{@link PasswordHasher#check}: Unicode text ({@code NOT_UNICODE}), at most 1,024 code points
 *       ({@code TOO_LONG});
 *   <li>at least {@link #minLength()} code points ({@code TOO_SHORT}); no composition rules;
 *   <li>not built on the username ({@code CONTAINS_USERNAME}, see {@link Rejection});
 *   <li>not on the offline list of common passwords ({@code BREACHED}), loaded on first use;
 *   <li>not in the Have I Been Pwned corpus ({@code BREACHED}), when the range API is configured;
 *       when it does not answer, one warning line goes to {@code warnings} and the password gets
 *       what {@link BreachApiDown} says.
 * </ol>
 *
 * <p>Thread-safe; build one at init with {@link PasswordPolicies}.
 */
public final class NistPasswordPolicy implements PasswordPolicy {

    private final int minLength;
    private final Supplier<CommonPasswords> commonPasswords;
    private final Optional<PwnedPasswordsRange> rangeApi;
    private final BreachApiDown whenDown;
    private final Consumer<String> warnings;

    NistPasswordPolicy(int minLength, Supplier<CommonPasswords> commonPasswords, Optional<PwnedPasswordsRange> rangeApi,
            BreachApiDown whenDown, Consumer<String> warnings) {
        this.minLength = minLength;
        this.commonPasswords = new OnFirstUse<>(commonPasswords);
        this.rangeApi = Objects.requireNonNull(rangeApi, "rangeApi");
        this.whenDown = Objects.requireNonNull(whenDown, "whenDown");
        this.warnings = Objects.requireNonNull(warnings, "warnings");
    }

    @Override
    public Optional<Rejection> checkNew(String password, String username) {
        Objects.requireNonNull(password, "password");
        Optional<PasswordHasher.Rejection> basic = PasswordHasher.check(password);
        if (basic.isPresent()) {
            return Optional.of(switch (basic.get()) {
                case TOO_SHORT -> Rejection.TOO_SHORT;
                case TOO_LONG -> Rejection.TOO_LONG;
                case NOT_UNICODE -> Rejection.NOT_UNICODE;
            });
        }
        String normalized = PasswordHasher.normalized(password);
        if (codePoints(normalized) < minLength) {
            return Optional.of(Rejection.TOO_SHORT);
        }
        if (username != null && isBuiltOn(normalized, username)) {
            return Optional.of(Rejection.CONTAINS_USERNAME);
        }
        if (commonPasswords.get().contains(normalized)) {
            return Optional.of(Rejection.BREACHED);
        }
        if (rangeApi.isEmpty()) {
            return Optional.empty();
        }
        try {
            return rangeApi.get().lookup(normalized) == PwnedPasswordsRange.Answer.BREACHED
                    ? Optional.of(Rejection.BREACHED) : Optional.empty();
        } catch (PwnedPasswordsRange.UnavailableException e) {
            warn(e.getMessage());
            return whenDown == BreachApiDown.REFUSE ? Optional.of(Rejection.BREACH_CHECK_UNAVAILABLE) : Optional.empty();
        }
    }

    @Override
    public int minLength() {
        return minLength;
    }

    /** What a breach check that could not reach the range API falls back to. */
    public BreachApiDown whenBreachApiDown() {
        return whenDown;
    }

    /** Whether the range API is asked at all ({@code AUTHFN_PASSWORD_BREACH_API} is not {@code off}). */
    public boolean usesBreachApi() {
        return rangeApi.isPresent();
    }

    /**
     * Whether fewer than {@link #minLength} code points are left of {@code normalized} once every
     * occurrence of the canonical username is taken out, ignoring case.
     */
    private boolean isBuiltOn(String normalized, String username) {
        if (!(Usernames.canonicalize(username) instanceof Usernames.Canonical(String name))) {
            return false; // not a username any account can hold
        }
        String rest = normalized.toLowerCase(Locale.ROOT).replace(name, "");
        return codePoints(rest) < minLength;
    }

    private void warn(String reason) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("level", "WARN");
        line.put("event", "password_breach_check");
        line.put("outcome", whenDown == BreachApiDown.REFUSE ? "refused" : "offline_list_only");
        line.put("reason", reason);
        warnings.accept(Json.write(line));
    }

    private static int codePoints(String text) {
        return text.codePointCount(0, text.length());
    }
}
