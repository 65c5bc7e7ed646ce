package dev.authfn.local.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.local.testing.Http;
import java.util.Map;

/** The answers the security suite expects, asserted exactly. */
final class Expect {

    private Expect() {}

    /** API Gateway's answer when the authorizer says no: {@code 403 {"message":"Forbidden"}}, no cookies. */
    static void deniedByTheAuthorizer(Http.Response response) {
        assertThat(response.status()).as("%s", response).isEqualTo(403);
        assertThat(response.json()).as("%s", response).isEqualTo(Map.of("message", "Forbidden"));
        assertThat(response.setCookieHeaders()).as("%s", response).isEmpty();
    }

    /** A function's problem+json answer of this status and problem type. */
    static void problem(Http.Response response, int status, String type) {
        assertThat(response.status()).as("%s", response).isEqualTo(status);
        assertThat(response.header("Content-Type")).as("%s", response).hasValue("application/problem+json");
        assertThat(response.header("Cache-Control")).as("%s", response).hasValue("no-store");
        assertThat(response.json()).as("%s", response).containsEntry("type", "urn:authfn:problem:" + type);
    }
}
