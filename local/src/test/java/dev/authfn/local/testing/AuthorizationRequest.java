package dev.authfn.local.testing;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One OAuth authorization request as a client makes it (docs/API.md §18.2): PKCE {@code S256}
 * with a fresh verifier, a fresh {@code state} and {@code nonce}; the authorization URL, and the
 * code exchange at {@code /oauth2/token} for a public client ({@code client_id} in the body, no
 * secret). The verifier never leaves the test but in that exchange.
 */
public record AuthorizationRequest(String clientId, String redirectUri, String scope, String state, String nonce,
        String codeVerifier) {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A request for {@code scope} with a new verifier, state and nonce (32 random bytes each, base64url). */
    public static AuthorizationRequest create(String clientId, String redirectUri, String scope) {
        return new AuthorizationRequest(clientId, redirectUri, scope, random(), random(), random());
    }

    /** BASE64URL(SHA-256(verifier)) (RFC 7636 §4.2). */
    public String codeChallenge() {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(codeVerifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code <base>/oauth2/authorize?…} with every parameter of this request. */
    public URI url(URI base) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("response_type", "code");
        parameters.put("client_id", clientId);
        parameters.put("redirect_uri", redirectUri);
        parameters.put("scope", scope);
        parameters.put("state", state);
        parameters.put("nonce", nonce);
        parameters.put("code_challenge", codeChallenge());
        parameters.put("code_challenge_method", "S256");
        return base.resolve("/oauth2/authorize?" + form(parameters));
    }

    /** {@code POST /oauth2/token} with {@code grant_type=authorization_code}, this request's verifier and redirect URI. */
    public Http.Response exchange(Http http, String code) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("grant_type", "authorization_code");
        parameters.put("code", code);
        parameters.put("redirect_uri", redirectUri);
        parameters.put("code_verifier", codeVerifier);
        parameters.put("client_id", clientId);
        return http.post("/oauth2/token")
                .body("application/x-www-form-urlencoded", form(parameters).getBytes(StandardCharsets.US_ASCII))
                .send();
    }

    /** {@code application/x-www-form-urlencoded}, in the map's order. */
    public static String form(Map<String, String> parameters) {
        return parameters.entrySet().stream()
                .map(entry -> encode(entry.getKey()) + "=" + encode(entry.getValue()))
                .collect(Collectors.joining("&"));
    }

    /**
     * The query parameters of a redirect's {@code Location}, decoded; a name given twice fails, as
     * the contract never sends one twice.
     */
    public static Map<String, String> query(URI location) {
        Map<String, String> parameters = new LinkedHashMap<>();
        String raw = location.getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return parameters;
        }
        for (String pair : raw.split("&")) {
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            if (parameters.put(name, value) != null) {
                throw new AssertionError("parameter " + name + " twice in " + location.getPath() + "?…");
            }
        }
        return parameters;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String decode(String value) {
        return java.net.URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public String toString() {
        return "AuthorizationRequest[" + clientId + ", " + redirectUri + ", scope=" + scope + "]";
    }
}
