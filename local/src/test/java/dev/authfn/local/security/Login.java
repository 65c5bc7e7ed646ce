package dev.authfn.local.security;

import static dev.authfn.local.security.SecurityApi.CSRF_COOKIE;
import static dev.authfn.local.security.SecurityApi.SESSION_COOKIE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

/** What a successful login handed the client; tests send each part back explicitly. */
record Login(String sessionCookie, String csrfCookie, String accessToken, String csrfToken, String sessionId) {

    @SuppressWarnings("unchecked")
    static Login from(Http.Response response) {
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        Map<String, Object> body = response.json();
        Map<String, Object> session = (Map<String, Object>) body.get("session");
        return new Login(response.setCookieValue(SESSION_COOKIE), response.setCookieValue(CSRF_COOKIE),
                (String) body.get("access_token"), (String) body.get("csrf_token"), (String) session.get("id"));
    }

    /** A cookie-authenticated request: the session cookie only. */
    Http.Call withCookie(Http.Call call) {
        return call.cookie(SESSION_COOKIE, sessionCookie);
    }

    /** A cookie-authenticated unsafe request: both cookies and the {@code X-CSRF-Token} header. */
    Http.Call withCookieAndCsrf(Http.Call call) {
        return call.cookie(SESSION_COOKIE, sessionCookie).cookie(CSRF_COOKIE, csrfCookie).csrf(csrfToken);
    }

    Http.Call withBearer(Http.Call call) {
        return call.bearer(accessToken);
    }

    @Override
    public String toString() {
        return "Login[sessionId=" + sessionId + "]";
    }
}
