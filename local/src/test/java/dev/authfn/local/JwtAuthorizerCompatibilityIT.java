package dev.authfn.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.authfn.local.e2e.E2eApi;
import dev.authfn.local.testing.AuthorizationRequest;
import dev.authfn.local.testing.Http;
import dev.authfn.local.testing.Login;
import dev.authfn.testkit.dynamodb.DynamoDbEndpointExtension;
import dev.authfn.testkit.dynamodb.DynamoDbTestEndpoint;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The discovery document, the JWKS and the access tokens of the OAuth provider (docs/API.md §18)
 * against what API Gateway's HTTP API JWT authorizer requires of an issuer and a token, as its
 * documentation lists it ("Control access to HTTP APIs with JWT authorizers in API Gateway",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html,
 * "Authorizing API requests with a JWT authorizer"): the key from the issuer's {@code jwks_uri},
 * RSA-based algorithms only, found by the token's {@code kid}; {@code iss} equal to the
 * authorizer's configured {@code issuer}; {@code aud}, or {@code client_id} when there is no
 * {@code aud}, one of its {@code audience} entries; {@code exp} after now, {@code nbf} and
 * {@code iat} before now; {@code scope} (or {@code scp}) holding a route's authorization scopes.
 * Tokens come from the authorization code flow (a user's, with an API permission granted as a
 * scope) and from {@code client_credentials} (a service's).
 *
 * <p>API Gateway itself does not run here (the local API serves Lambda authorizers only), and it
 * wants an {@code https} issuer reachable from the internet, which a deployed stack has; what is
 * checked is every property the authorizer reads. The audience configured is the template's
 * {@code Audience} default, as {@code examples/orders}' {@code StatelessBearerApi} configures it.
 */
@ExtendWith(DynamoDbEndpointExtension.class)
class JwtAuthorizerCompatibilityIT {

    /** {@code JwtConfiguration.audience} of the authorizer: the template's {@code Audience} default. */
    private static final List<String> AUTHORIZER_AUDIENCE = List.of("authfn-api");
    private static final String USERNAME = "jules";
    private static final String PASSWORD = "harbour quill meadow 5523";
    private static final String SPA = "jwt-authz-spa";
    private static final String REDIRECT_URI = "http://127.0.0.1/callback";
    private static final String SERVICE = "jwt-authz-service";

    private static E2eApi e2e;
    private static LocalApi api;
    private static Http http;
    private static String serviceSecret;

    @BeforeAll
    static void start(DynamoDbTestEndpoint dynamodb) throws Exception {
        e2e = E2eApi.start(JwtAuthorizerCompatibilityIT.class, dynamodb);
        api = e2e.api();
        http = new Http(api.baseUri());
        AdminCli admin = new AdminCli(api);
        admin.addUser(USERNAME, PASSWORD, "--role", "user", "--permission", "posts:create");
        admin.addPublicClient(SPA, REDIRECT_URI, "openid profile offline_access posts:create");
        serviceSecret = admin.addConfidentialClient(SERVICE, "https://service.example/cb", "posts:create orders:read");
    }

    @AfterAll
    static void stop() {
        if (e2e != null) {
            e2e.close();
        }
    }

    @Test
    void theDiscoveryDocumentNamesTheIssuerExactlyAndAReachableJwksOfRsaSigningKeysWithKids() throws Exception {
        Map<String, Object> discovery = discovery();

        // The authorizer's issuer is compared with iss character for character: the API's URL, no trailing slash.
        assertThat(discovery.get("issuer")).isEqualTo(api.baseUri().toString());
        assertThat((String) discovery.get("issuer")).doesNotEndWith("/");
        assertThat(discovery.get("jwks_uri")).isEqualTo(api.baseUri() + "/.well-known/jwks.json");
        assertThat(discovery.get("id_token_signing_alg_values_supported")).asList().contains("RS256");
        JWKSet jwks = jwks(discovery);
        assertThat(jwks.getKeys()).isNotEmpty().allSatisfy(key -> {
            assertThat(key.getKeyID()).as("kid of %s", key.getKeyID()).isNotBlank();
            assertThat(key.getKeyUse()).as("use of %s", key.getKeyID()).isIn(KeyUse.SIGNATURE, null);
            assertThat(key.isPrivate()).as("%s is public", key.getKeyID()).isFalse();
        });
        assertThat(jwks.getKeys()).extracting(JWK::getKeyType).contains(KeyType.RSA);
    }

    @Test
    void aUsersAccessTokenFromTheCodeFlowPassesEachCheckOfTheJwtAuthorizer() throws Exception {
        // given a user who logged in, and a code for the client
        Login login = Login.json(http, USERNAME, PASSWORD, "jwt-authorizer-compatibility");
        AuthorizationRequest request = AuthorizationRequest.create(SPA, REDIRECT_URI, "openid profile posts:create");
        Http.Response authorized = http.get(pathAndQuery(request.url(api.baseUri())))
                .cookie(Login.SESSION_COOKIE, login.sessionCookie()).send();
        assertThat(authorized.status()).as("%s", authorized).isEqualTo(302);
        Map<String, String> callback = AuthorizationRequest.query(URI.create(authorized.header("Location").orElseThrow()));
        assertThat(callback).containsEntry("state", request.state()).containsEntry("iss", api.baseUri().toString());

        // when the client exchanges it
        Http.Response tokens = request.exchange(http, callback.get("code"));

        // then its access token passes what the JWT authorizer checks, with the route scope the grant carries
        assertThat(tokens.status()).as("%s", tokens).isEqualTo(200);
        String accessToken = (String) tokens.json().get("access_token");
        JWTClaimsSet claims = assertPassesTheJwtAuthorizer(accessToken, "posts:create");
        assertThat(claims.getStringClaim("client_id")).isEqualTo(SPA);
        assertThat(claims.getSubject()).isNotEqualTo(SPA);
        assertThat(claims.getStringClaim("scope").split(" ")).containsExactlyInAnyOrder("openid", "profile",
                "posts:create");

        // and the ID token, which is not for the API, fails the authorizer's audience check
        SignedJWT idToken = SignedJWT.parse((String) tokens.json().get("id_token"));
        assertThat(idToken.getJWTClaimsSet().getAudience()).containsExactly(SPA).doesNotContainAnyElementsOf(AUTHORIZER_AUDIENCE);
    }

    @Test
    void aServicesClientCredentialsTokenPassesEachCheckOfTheJwtAuthorizer() throws Exception {
        // when the service asks for a token with its secret (client_secret_basic)
        Http.Response tokens = http.post("/oauth2/token").basic(SERVICE, serviceSecret)
                .body("application/x-www-form-urlencoded",
                        "grant_type=client_credentials&scope=posts%3Acreate".getBytes(StandardCharsets.US_ASCII))
                .send();

        // then it passes the JWT authorizer, scoped as asked
        assertThat(tokens.status()).as("%s", tokens).isEqualTo(200);
        JWTClaimsSet claims = assertPassesTheJwtAuthorizer((String) tokens.json().get("access_token"), "posts:create");
        assertThat(claims.getSubject()).isEqualTo(SERVICE);
        assertThat(claims.getStringClaim("client_id")).isEqualTo(SERVICE);
        assertThat(claims.getStringClaim("scope")).isEqualTo("posts:create");
    }

    /**
     * The JWT authorizer's checks, in its documented order, on {@code token} for a route whose
     * authorization scopes are {@code routeScope}; the verified claims.
     */
    private static JWTClaimsSet assertPassesTheJwtAuthorizer(String token, String routeScope) throws Exception {
        Map<String, Object> discovery = discovery();
        SignedJWT jwt = SignedJWT.parse(token);
        // Algorithm and signature, with the public key from the issuer's jwks_uri: RSA-based only.
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        String kid = jwt.getHeader().getKeyID();
        assertThat(kid).as("the token's kid").isNotBlank();
        JWK key = jwks(discovery).getKeyByKeyId(kid);
        assertThat(key).as("the JWKS has the key the token's kid names (%s)", kid).isNotNull();
        assertThat(key.getKeyType()).isEqualTo(KeyType.RSA);
        assertThat(key.getKeyUse()).isIn(KeyUse.SIGNATURE, null);
        assertThat(jwt.verify(new RSASSAVerifier((RSAKey) key))).as("the signature, with the JWKS key").isTrue();
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        // iss: the configured issuer, exactly.
        assertThat(claims.getIssuer()).isEqualTo(discovery.get("issuer"));
        // aud, or client_id when there is no aud: one of the configured audience entries.
        List<String> audience = claims.getAudience().isEmpty()
                ? Optional.ofNullable(claims.getStringClaim("client_id")).map(List::of).orElse(List.of())
                : claims.getAudience();
        assertThat(audience).containsAnyElementsOf(AUTHORIZER_AUDIENCE);
        // exp after now; nbf and iat before now (whole seconds, as the token has them).
        Instant now = Instant.now();
        assertThat(claims.getExpirationTime()).as("exp").isNotNull();
        assertThat(claims.getExpirationTime().toInstant()).isAfter(now);
        assertThat(claims.getIssueTime()).as("iat").isNotNull();
        assertThat(claims.getIssueTime().toInstant()).isBeforeOrEqualTo(now);
        if (claims.getNotBeforeTime() != null) {
            assertThat(claims.getNotBeforeTime().toInstant()).isBeforeOrEqualTo(now);
        }
        // scope: a space-separated string (the authorizer also reads an scp array); holds the route's scope.
        Object scope = claims.getClaim("scope");
        assertThat(scope).as("scope is a string").isInstanceOf(String.class);
        assertThat((String) scope).doesNotStartWith(" ").doesNotEndWith(" ").doesNotContain("  ");
        assertThat(((String) scope).split(" ")).contains(routeScope);
        return claims;
    }

    private static Map<String, Object> discovery() {
        Http.Response response = http.get("/.well-known/openid-configuration").send();
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        assertThat(response.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        return response.json();
    }

    /** The key set at the discovery document's {@code jwks_uri}, fetched as the authorizer fetches it. */
    private static JWKSet jwks(Map<String, Object> discovery) throws Exception {
        URI uri = URI.create((String) discovery.get("jwks_uri"));
        assertThat(uri.getScheme() + "://" + uri.getAuthority()).isEqualTo(api.baseUri().toString());
        Http.Response response = http.get(uri.getRawPath()).send();
        assertThat(response.status()).as("GET jwks_uri: %s", response).isEqualTo(200);
        return JWKSet.parse(response.body());
    }

    private static String pathAndQuery(URI uri) {
        return uri.getRawPath() + "?" + uri.getRawQuery();
    }
}
