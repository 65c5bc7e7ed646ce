package dev.authfn.local;

import dev.authfn.core.password.PasswordHasher;
import dev.authfn.core.password.PasswordPolicy;
import java.util.Optional;

/**
 * The password rules of {@code users add} and {@code users passwd}: those of the account routes
 * ({@link PasswordPolicy}, docs/API.md "Password rules"), with a refusal that names the reason
 * code and the minimum, never the password.
 */
final class NewPasswords {

    private NewPasswords() {
    }

    /**
     * Returns when {@code policy} accepts {@code password} for {@code username}.
     *
     * @throws UsageException when the password is refused (exit 2)
     * @throws CommandFailedException when the breach check could not be made and the policy
     *     refuses then (exit 1: the password may be fine, try again)
     */
    static void require(PasswordPolicy policy, String password, String username) {
        Optional<PasswordPolicy.Rejection> rejection = policy.checkNew(password, username);
        if (rejection.isEmpty()) {
            return;
        }
        PasswordPolicy.Rejection reason = rejection.get();
        String rules = "; a new password needs " + policy.minLength() + " to " + PasswordHasher.MAX_LENGTH
                + " characters (Unicode code points), not found in a breach, not built on the user name";
        String code = reason.name().toLowerCase(java.util.Locale.ROOT);
        String why = switch (reason) {
            case TOO_SHORT -> "shorter than " + policy.minLength() + " characters";
            case TOO_LONG -> "longer than " + PasswordHasher.MAX_LENGTH + " characters";
            case NOT_UNICODE -> "not valid Unicode text";
            case BREACHED -> "found among breached or common passwords";
            case CONTAINS_USERNAME -> "built on the user name";
            case BREACH_CHECK_UNAVAILABLE -> "the breach check did not answer (AUTHFN_PASSWORD_BREACH_API_DOWN=refuse)";
        };
        String message = "password refused (" + code + "): " + why;
        if (reason == PasswordPolicy.Rejection.BREACH_CHECK_UNAVAILABLE) {
            throw new CommandFailedException(message + "; try again later");
        }
        throw new UsageException(message + rules);
    }
}
