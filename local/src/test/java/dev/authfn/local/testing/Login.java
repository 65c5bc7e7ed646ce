package dev.authfn.local.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

/**
 * What a successful login handed the client: the two cookie values and the body's tokens. Tests
 * send them back explicitly ({@link Http.Call#cookie}, {@link Http.Call#bearer}, {@link Http.Call#csrf}).
 */
public record Login(String sessionCookie, String csrfCookie, String accessToken, String csrfToken, String sessionId) {

    public static final String SESSION_COOKIE = "__Host-session";
    public static final String CSRF_COOKIE = "__Host-csrf";

    /** Logs {@code username} in with a JSON body from a client calling itself {@code userAgent}. */
    public static Login json(Http http, String username, String password, String userAgent) {
        Http.Response response = http.post("/auth/login")
                .header("User-Agent", userAgent)
                .json(Map.of("username", username, "password", password))
                .send();
        return from(response);
    }

    /**
     * The credentials a login response carried; anything but a 200 with the documented body and
     * exactly the two cookies fails the test.
     */
    @SuppressWarnings("unchecked")
    public static Login from(Http.Response response) {
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        Map<String, Object> body = response.json();
        assertThat(body).containsOnlyKeys("access_token", "token_type", "expires_in", "csrf_token", "session");
        Map<String, Object> session = (Map<String, Object>) body.get("session");
        assertThat(response.setCookies()).extracting(Http.SetCookie::name)
                .containsExactly(SESSION_COOKIE, CSRF_COOKIE);
        return new Login(
                response.setCookie(SESSION_COOKIE).value(),
                response.setCookie(CSRF_COOKIE).value(),
                (String) body.get("access_token"),
                (String) body.get("csrf_token"),
                (String) session.get("id"));
    }

    /** A cookie-authenticated request: the session cookie only. */
    public Http.Call withCookie(Http.Call call) {
        return call.cookie(SESSION_COOKIE, sessionCookie);
    }

    /** A cookie-authenticated unsafe request: both cookies and the {@code X-CSRF-Token} header. */
    public Http.Call withCookieAndCsrf(Http.Call call) {
        return call.cookie(SESSION_COOKIE, sessionCookie).cookie(CSRF_COOKIE, csrfCookie).csrf(csrfToken);
    }

    public Http.Call withBearer(Http.Call call) {
        return call.bearer(accessToken);
    }

    @Override
    public String toString() {
        return "Login[sessionId=" + sessionId + "]";
    }
}
