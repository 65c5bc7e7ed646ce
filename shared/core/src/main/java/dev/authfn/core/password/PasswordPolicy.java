package dev.authfn.core.password;

import java.util.Optional;

/** The rules for a new password (docs/API.md, "Password rules"); the port the account flows call. */
public interface PasswordPolicy {

    /** Why a new password may not be set; a reason code, never the password. */
    enum Rejection { TOO_SHORT, TOO_LONG, NOT_UNICODE, BREACHED, BREACH_CHECK_UNAVAILABLE }

    /** Why {@code password} may not become a password (of the user {@code username}, may be null), or empty. */
    Optional<Rejection> checkNew(String password, String username);

    /** The configured minimum, in code points. */
    int minLength();
}
