package dev.authfn.local.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.authfn.local.template.RouteSpec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.joda.time.DateTime;
import org.joda.time.DateTimeZone;
import org.junit.jupiter.api.Test;

class EventFactoryTest {

    private static final Instant NOW = Instant.parse("2024-03-12T10:15:30.123Z");

    private final EventFactory factory = new EventFactory(Clock.fixed(NOW, ZoneOffset.UTC), () -> "req-1");

    private final RouteMatch revoke = new RouteMatch(
            new RouteSpec("SessionFunction", "RevokeSession", "DELETE", "/auth/sessions/{id}", Optional.of("Authz")),
            Map.of("id", "s-42"));

    @Test
    void buildsTheVersionTwoEnvelopeWithTheTemplatedRouteKey() {
        APIGatewayV2HTTPEvent event = factory.request(request("DELETE", "", Map.of(), new byte[0]), revoke).httpEvent(null);

        assertThat(event.getVersion()).isEqualTo("2.0");
        assertThat(event.getRouteKey()).isEqualTo("DELETE /auth/sessions/{id}");
        assertThat(event.getRawPath()).isEqualTo("/auth/sessions/s-42");
        assertThat(event.getRawQueryString()).isEmpty();
        assertThat(event.getPathParameters()).containsExactly(entry("id", "s-42"));
        assertThat(event.getStageVariables()).isNull();
    }

    @Test
    void fillsTheRequestContextAsApiGatewayDoes() {
        Map<String, List<String>> headers = Map.of("Host", List.of("127.0.0.1:3000"), "User-Agent", List.of("curl/8.5.0"));

        APIGatewayV2HTTPEvent.RequestContext context =
                factory.request(request("DELETE", "", headers, new byte[0]), revoke).httpEvent(null).getRequestContext();

        assertThat(context.getAccountId()).isEqualTo("123456789012");
        assertThat(context.getApiId()).isEqualTo("1234567890");
        assertThat(context.getDomainName()).isEqualTo("127.0.0.1:3000");
        assertThat(context.getDomainPrefix()).isEqualTo("127");
        assertThat(context.getRequestId()).isEqualTo("req-1");
        assertThat(context.getRouteKey()).isEqualTo("DELETE /auth/sessions/{id}");
        assertThat(context.getStage()).isEqualTo("$default");
        assertThat(context.getTime()).isEqualTo("12/Mar/2024:10:15:30 +0000");
        assertThat(context.getTimeEpoch()).isEqualTo(1710238530123L);
        assertThat(context.getHttp().getMethod()).isEqualTo("DELETE");
        assertThat(context.getHttp().getPath()).isEqualTo("/auth/sessions/s-42");
        assertThat(context.getHttp().getProtocol()).isEqualTo("HTTP/1.1");
        assertThat(context.getHttp().getSourceIp()).isEqualTo("127.0.0.1");
        assertThat(context.getHttp().getUserAgent()).isEqualTo("curl/8.5.0");
        assertThat(context.getAuthorizer()).isNull();
    }

    @Test
    void movesCookieHeadersIntoTheCookiesArray() {
        Map<String, List<String>> headers = Map.of("Cookie", List.of("__Host-session=abc.def; theme=dark", "__Host-csrf=x"));

        APIGatewayV2HTTPEvent event = factory.request(request("DELETE", "", headers, new byte[0]), revoke).httpEvent(null);

        assertThat(event.getCookies()).containsExactly("__Host-session=abc.def", "theme=dark", "__Host-csrf=x");
        assertThat(event.getHeaders()).doesNotContainKey("cookie").doesNotContainKey("Cookie");
    }

    @Test
    void leavesCookiesOutWhenThereAreNone() {
        assertThat(factory.request(request("DELETE", "", Map.of(), new byte[0]), revoke).httpEvent(null).getCookies()).isNull();
    }

    @Test
    void lowerCasesHeaderNamesJoinsRepeatedOnesAndAddsTheForwardingHeaders() {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("X-Custom", List.of("one", "two"));
        headers.put("x-custom", List.of("three"));
        headers.put("X-Forwarded-For", List.of("203.0.113.9"));

        Map<String, String> eventHeaders =
                factory.request(request("DELETE", "", headers, new byte[0]), revoke).httpEvent(null).getHeaders();

        assertThat(eventHeaders).containsExactly(
                entry("x-custom", "one,two,three"),
                entry("x-forwarded-for", "203.0.113.9, 127.0.0.1"),
                entry("x-forwarded-port", "3000"),
                entry("x-forwarded-proto", "http"));
    }

    @Test
    void decodesQueryParametersJoiningRepeatedNamesAndKeepsTheRawQueryString() {
        APIGatewayV2HTTPEvent event = factory
                .request(request("DELETE", "a=1&a=2&b=x%20y&flag", Map.of(), new byte[0]), revoke).httpEvent(null);

        assertThat(event.getRawQueryString()).isEqualTo("a=1&a=2&b=x%20y&flag");
        assertThat(event.getQueryStringParameters()).containsExactly(entry("a", "1,2"), entry("b", "x y"), entry("flag", ""));
    }

    @Test
    void passesTextBodiesAsTheyAre() {
        Map<String, List<String>> headers = Map.of("Content-Type", List.of("application/json; charset=utf-8"));
        byte[] body = "{\"username\":\"zoë\"}".getBytes(StandardCharsets.UTF_8);

        APIGatewayV2HTTPEvent event = factory.request(request("DELETE", "", headers, body), revoke).httpEvent(null);

        assertThat(event.getBody()).isEqualTo("{\"username\":\"zoë\"}");
        assertThat(event.getIsBase64Encoded()).isFalse();
    }

    @Test
    void treatsTextPlusJsonFormAndXmlBodiesAsText() {
        for (String type : List.of("text/plain", "application/problem+json", "application/x-www-form-urlencoded",
                "application/xml", "TEXT/HTML")) {
            APIGatewayV2HTTPEvent event = factory
                    .request(request("DELETE", "", Map.of("content-type", List.of(type)), new byte[] {'a'}), revoke)
                    .httpEvent(null);

            assertThat(event.getIsBase64Encoded()).as(type).isFalse();
            assertThat(event.getBody()).as(type).isEqualTo("a");
        }
    }

    @Test
    void base64EncodesOtherBodies() {
        for (Map<String, List<String>> headers : List.of(
                Map.of("Content-Type", List.of("application/octet-stream")), Map.<String, List<String>>of())) {
            APIGatewayV2HTTPEvent event = factory
                    .request(request("DELETE", "", headers, new byte[] {0, 1, (byte) 0xff}), revoke).httpEvent(null);

            assertThat(event.getBody()).isEqualTo("AAH/");
            assertThat(event.getIsBase64Encoded()).isTrue();
        }
    }

    @Test
    void leavesTheBodyOutWhenThereIsNone() {
        APIGatewayV2HTTPEvent event = factory.request(request("DELETE", "", Map.of(), new byte[0]), revoke).httpEvent(null);

        assertThat(event.getBody()).isNull();
        assertThat(event.getIsBase64Encoded()).isFalse();
    }

    @Test
    void deliversTheAuthorizerContextUnderLambda() {
        APIGatewayV2HTTPEvent event = factory.request(request("DELETE", "", Map.of(), new byte[0]), revoke)
                .httpEvent(Map.of("sub", "u-1", "roles", "admin"));

        assertThat(event.getRequestContext().getAuthorizer().getLambda())
                .containsOnly(entry("sub", "u-1"), entry("roles", "admin"));
    }

    @Test
    void buildsTheAuthorizerEventWithTheSameIdAndTime() {
        Map<String, List<String>> headers = Map.of(
                "Authorization", List.of("Bearer t"), "Cookie", List.of("a=1; b=2"), "Host", List.of("localhost:3000"));
        EventFactory.Request request = factory.request(request("DELETE", "x=1", headers, new byte[0]), revoke);

        APIGatewayV2CustomAuthorizerEvent event = request.authorizerEvent(List.of("Bearer t"));

        assertThat(event.getVersion()).isEqualTo("2.0");
        assertThat(event.getType()).isEqualTo("REQUEST");
        assertThat(event.getRouteArn())
                .isEqualTo("arn:aws:execute-api:us-east-1:123456789012:1234567890/$default/DELETE/auth/sessions/s-42");
        assertThat(event.getIdentitySource()).containsExactly("Bearer t");
        assertThat(event.getRouteKey()).isEqualTo("DELETE /auth/sessions/{id}");
        assertThat(event.getRawPath()).isEqualTo("/auth/sessions/s-42");
        assertThat(event.getRawQueryString()).isEqualTo("x=1");
        assertThat(event.getCookies()).containsExactly("a=1", "b=2");
        assertThat(event.getHeaders()).containsEntry("authorization", "Bearer t").doesNotContainKey("cookie");
        assertThat(event.getQueryStringParameters()).containsExactly(entry("x", "1"));
        assertThat(event.getPathParameters()).containsExactly(entry("id", "s-42"));
        assertThat(event.getRequestContext().getRequestId()).isEqualTo("req-1");
        assertThat(event.getRequestContext().getDomainName()).isEqualTo("localhost:3000");
        assertThat(event.getRequestContext().getDomainPrefix()).isEqualTo("localhost");
        assertThat(event.getRequestContext().getTime().getMillis())
                .isEqualTo(new DateTime(2024, 3, 12, 10, 15, 30, DateTimeZone.UTC).getMillis());
        assertThat(event.getRequestContext().getTimeEpoch()).isEqualTo(NOW);
        assertThat(event.getRequestContext().getHttp().getMethod()).isEqualTo("DELETE");
        assertThat(request.httpEvent(null).getRequestContext().getRequestId()).isEqualTo("req-1");
    }

    @Test
    void sendsAnEmptyIdentitySourceWhenNoneIsConfigured() {
        APIGatewayV2CustomAuthorizerEvent event =
                factory.request(request("DELETE", "", Map.of(), new byte[0]), revoke).authorizerEvent(List.of());

        assertThat(event.getIdentitySource()).isEmpty();
    }

    @Test
    void readsIdentitySourcesFromHeadersWhateverTheirCaseAndFromTheQuery() {
        EventFactory.Request request = factory.request(
                request("DELETE", "token=q", Map.of("AUTHORIZATION", List.of("Bearer t"), "X-Blank", List.of(" ")),
                        new byte[0]), revoke);

        assertThat(request.identityValue("$request.header.Authorization")).hasValue("Bearer t");
        assertThat(request.identityValue("$request.querystring.token")).hasValue("q");
        assertThat(request.identityValue("$request.header.X-Blank")).isEmpty();
        assertThat(request.identityValue("$request.header.Missing")).isEmpty();
    }

    @Test
    void givesEveryRequestItsOwnIdShapedLikeApiGateways() {
        EventFactory random = new EventFactory(Clock.systemUTC());
        IncomingRequest incoming = request("DELETE", "", Map.of(), new byte[0]);

        String first = random.request(incoming, revoke).requestId();

        assertThat(first).matches("[A-Za-z0-9+/]{15}=");
        assertThat(random.request(incoming, revoke).requestId()).isNotEqualTo(first);
    }

    private static IncomingRequest request(String method, String query, Map<String, List<String>> headers, byte[] body) {
        return new IncomingRequest(method, "/auth/sessions/s-42", query, headers, body, "127.0.0.1", 3000);
    }
}
