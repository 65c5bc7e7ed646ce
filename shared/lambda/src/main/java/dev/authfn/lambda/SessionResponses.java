package dev.authfn.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.authfn.core.authz.AuthType;
import dev.authfn.core.cookie.HttpCookies;
import dev.authfn.core.session.Session;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
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

    /** Both cookies of a new session, living as long as it has left. */
    public static List<String> cookies(HttpCookies cookies, Session session, String sessionCookie, String csrfToken,
            Instant now) {
        Duration lifetime = cookieLifetime(session, now);
        return List.of(cookies.session(sessionCookie, lifetime), cookies.csrf(csrfToken, lifetime));
    }

    /**
     * The answer to a caller whose sessions all ended and who was given a new one (a password
     * change, removing a second factor; docs/API.md §15.7): 204 with the new cookies for a cookie
     * caller, 200 with the token body and the cookies for a bearer caller.
     */
    public static APIGatewayV2HTTPResponse replaced(AuthType caller, HttpCookies cookies, Session session,
            String sessionCookie, String csrfToken, String accessToken, Duration accessTokenLifetime, Instant now) {
        List<String> newCookies = cookies(cookies, session, sessionCookie, csrfToken, now);
        return caller == AuthType.COOKIE
                ? HttpResponses.noContent(newCookies)
                : HttpResponses.json(200, tokenBody(session, accessToken, accessTokenLifetime, csrfToken), newCookies);
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
