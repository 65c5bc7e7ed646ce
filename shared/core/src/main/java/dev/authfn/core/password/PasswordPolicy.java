package dev.authfn.core.password;

import java.util.Optional;

/**
 * The rules a <em>new</em> password must pass (NIST SP 800-63B rev. 4, section 3.1.1.2): a
 * minimum length, {@link PasswordHasher#MAX_LENGTH} at most, no composition rules, any Unicode,
 * and not found in a breach corpus. Every flow that lets a person choose a password (register,
 * reset, change, {@code ./authfn users add|passwd}) asks this port before
 * {@link PasswordHasher#hash}; login does not (it keeps {@link PasswordHasher#check}, 8 code
 * points, so older accounts are not locked out).
 *
 * <p>Lengths are counted in code points of the password's NFKC form
 * ({@link PasswordHasher#normalized}), the form it is hashed in. The implementation is
 * {@code dev.authfn.password.policy.NistPasswordPolicy} (module {@code shared/password-policy}),
 * built by {@code PasswordPolicies.fromEnvironment}.
 */
public interface PasswordPolicy {

    /** Why a new password may not be set; a reason code, never the password. */
    enum Rejection {
        /** Fewer code points than {@link #minLength()}. */
        TOO_SHORT,
        /** More than {@link PasswordHasher#MAX_LENGTH} code points. */
        TOO_LONG,
        /** Holds an unpaired UTF-16 surrogate, so it is not Unicode text. */
        NOT_UNICODE,
        /** Found in the breach corpus: the offline list of common passwords or the range API. */
        BREACHED,
        /**
         * The breach range API did not answer and the policy is configured to refuse then (fail
         * closed); a handler answers 503, since the password itself may be fine.
         */
        BREACH_CHECK_UNAVAILABLE,
        /**
         * Built on the username (a context-specific word, NIST SP 800-63B rev. 4): what is left once
         * every occurrence of the canonical username is taken out, ignoring case, is shorter than
         * {@link #minLength()}. {@code alice2024} for {@code alice} is refused,
         * {@code alice-likes-green-tea} is not.
         */
        CONTAINS_USERNAME
    }

    /**
     * Why {@code password} may not become a password (of the user {@code username}, may be null),
     * or empty when it may. May call the breach range API.
     */
    Optional<Rejection> checkNew(String password, String username);

    /** The configured minimum, in code points (documented in problem responses). */
    int minLength();
}
