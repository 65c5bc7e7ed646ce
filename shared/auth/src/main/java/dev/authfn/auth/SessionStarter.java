package dev.authfn.auth;

import dev.authfn.core.session.Session;
import dev.authfn.core.session.SessionStore;
import dev.authfn.core.token.SessionToken;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Starts a brand-new session for a user whose credentials were just checked: a login, and a
 * password change (which ends every session and gives the caller a new one). The session is
 * created, then registered on the user against the session epoch {@code user} was read in
 * ({@link UserStore#registerSession}); only then are its credentials made. Were the user's
 * sessions ended in between, the registration fails and the session is ended again: ending all
 * sessions takes the registered ones, so no session whose credentials a client holds can survive
 * it, whether or not the sessions index shows it yet (docs/API.md §10.3).
 */
final class SessionStarter {

    private final UserStore users;
    private final SessionStore sessions;
    private final Supplier<CredentialCodecs> codecs;
    private final SessionTimeouts timeouts;
    private final SecureRandom random;

    SessionStarter(UserStore users, SessionStore sessions, Supplier<CredentialCodecs> codecs, SessionTimeouts timeouts,
            SecureRandom random) {
        this.users = Objects.requireNonNull(users, "users");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.codecs = Objects.requireNonNull(codecs, "codecs");
        this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * The new session and its credentials; empty when the user's sessions were ended since
     * {@code user} was read. The session records {@code amr} and, as its authentication time,
     * {@code now}: the caller has just checked the credentials these methods name.
     *
     * @param amr how the user just proved who they are (RFC 8176, {@link dev.authfn.core.authz.Amr}):
     *     {@code ["pwd"]} for a password login, {@code ["pwd","otp","mfa"]} once a second factor
     *     was checked too
     */
    Optional<LoginService.LoggedIn> start(User user, List<String> amr, String userAgent, String sourceIp, Instant now) {
        return start(user, amr, now, now.plus(timeouts.absolute()), userAgent, sourceIp, now);
    }

    /**
     * A new session in place of {@code previous}, after every session of the user was ended for a
     * change the caller made without proving anything new (removing a passkey): it keeps the
     * previous session's {@code amr}, authentication time and absolute expiry, so that such a
     * change never refreshes a login for step-up rules nor extends the absolute timeout.
     */
    Optional<LoginService.LoggedIn> continuing(User user, Session previous, String userAgent, String sourceIp,
            Instant now) {
        return start(user, previous.amr(), previous.authTime(), previous.absoluteExpiresAt(), userAgent, sourceIp, now);
    }

    /**
     * An OAuth grant's own session (docs/API.md §18.4), under {@code token}, which the caller made
     * (the code exchange records its id on the code before the session exists), with the
     * {@code amr} and {@code authTime} of the browser session the code came from and the grant's
     * idle timeout and absolute expiry. Registered on the user like a login's; no cookie, CSRF or
     * access token is made: the client gets tokens of its own. Empty when the user's sessions were
     * ended since {@code user} was read, or when the id is taken (a second use of the code took it).
     */
    Optional<Session> grant(User user, SessionToken token, List<String> amr, Instant authTime, Duration idle,
            Instant absoluteExpiry, String userAgent, String sourceIp, Instant now) {
        Instant idleExpiry = now.plus(idle).isBefore(absoluteExpiry) ? now.plus(idle) : absoluteExpiry;
        Session session = new Session(token.id(), token.secretHash(), user.userId(), user.username(), user.roles(),
                user.permissions(), now, now, idleExpiry, absoluteExpiry, truncate(userAgent, 256),
                truncate(sourceIp, 64), amr, authTime);
        // Taken already: a second use of the code put an expired stand-in under this id (OAuthService.endGrant).
        if (!sessions.create(session)) {
            return Optional.empty();
        }
        if (!users.registerSession(user, session.id(), absoluteExpiry, now)) {
            sessions.revoke(session.id(), user.userId());
            return Optional.empty();
        }
        return Optional.of(session);
    }

    private Optional<LoginService.LoggedIn> start(User user, List<String> amr, Instant authTime, Instant absoluteExpiry,
            String userAgent, String sourceIp, Instant now) {
        CredentialCodecs current = codecs.get();
        for (int tries = 0; tries < 2; tries++) {
            SessionToken token = SessionToken.generate(random);
            Session session = new Session(
                    token.id(), token.secretHash(), user.userId(), user.username(), user.roles(), user.permissions(),
                    now, now, timeouts.idleExpiry(now, absoluteExpiry), absoluteExpiry,
                    truncate(userAgent, 256), truncate(sourceIp, 64), amr, authTime);
            if (sessions.create(session)) {
                if (!users.registerSession(user, session.id(), absoluteExpiry, now)) {
                    sessions.revoke(session.id(), user.userId());
                    return Optional.empty();
                }
                return Optional.of(new LoginService.LoggedIn(
                        session,
                        current.cookies().sign(token, now),
                        current.csrf().issue(session.id()),
                        current.issuer().issue(user.userId(), user.username(), session.id(), user.roles(), user.permissions(),
                                session.amr(), session.authTime()),
                        current.issuer().lifetime()));
            }
        }
        throw new IllegalStateException("two random 128-bit session ids collided; the random source is broken");
    }

    private static String truncate(String value, int max) {
        if (value == null) {
            return "";
        }
        return value.length() <= max ? value : value.substring(0, max);
    }
}
