package dev.authfn.lambda;

import dev.authfn.core.session.Session;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The body login and refresh answer with (docs/API.md §2). Times are ISO-8601 UTC. */
public final class SessionResponses {

    private SessionResponses() {
    }

    /**
     * The {@code Max-Age} of the session and CSRF cookies: what the session has left of its
     * absolute lifetime, rounded up to whole seconds, so that no cookie outlives its session by a
     * second or more, and a fresh login's cookies carry exactly the configured lifetime even though
     * the session was created a few milliseconds before the response (at least one second; a cookie
     * of an ended session is never issued).
     */
    public static Duration cookieLifetime(Session session, Instant now) {
        Duration left = Duration.between(now, session.absoluteExpiresAt());
        long whole = left.isNegative() ? 0 : left.getNano() == 0 ? left.getSeconds() : left.getSeconds() + 1;
        return Duration.ofSeconds(Math.max(1, whole));
    }

    public static Map<String, Object> tokenBody(
            Session session, String accessToken, Duration accessTokenLifetime, String csrfToken) {
        Map<String, Object> sessionView = new LinkedHashMap<>();
        sessionView.put("id", session.id());
        sessionView.put("expires_at", session.absoluteExpiresAt().toString());
        sessionView.put("idle_expires_at", session.idleExpiresAt().toString());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", accessToken);
        body.put("token_type", "Bearer");
        body.put("expires_in", accessTokenLifetime.toSeconds());
        body.put("csrf_token", csrfToken);
        body.put("session", sessionView);
        return body;
    }
}
