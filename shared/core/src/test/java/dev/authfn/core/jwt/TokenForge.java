package dev.authfn.core.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.authfn.core.jwt.internal.JwsSigners;
import dev.authfn.core.keys.JwtKey;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds tokens by hand (any header, any claims) for tests, and reads their parts back. */
final class TokenForge {
    static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final String ISSUER = "https://auth.example.com";
    static final String AUDIENCE = "https://api.example.com";
    static final String CLIENT_ID = "authfn-web";

    private TokenForge() {}

    /** The header our issuer writes for {@code key}, as a mutable map. */
    static Map<String, Object> header(JwtKey key) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", key.algorithm().getName());
        header.put("typ", "at+jwt");
        header.put("kid", key.kid());
        return header;
    }

    /** Valid claims for a token issued at {@link #NOW} for five minutes, as a mutable map. */
    static Map<String, Object> claims() {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("sub", "user-1");
        claims.put("aud", AUDIENCE);
        claims.put("exp", NOW.getEpochSecond() + 300);
        claims.put("iat", NOW.getEpochSecond());
        claims.put("jti", "jti-1");
        claims.put("client_id", CLIENT_ID);
        claims.put("sid", "session-1");
        claims.put("roles", List.of("user"));
        claims.put("scope", "posts:read");
        claims.put("preferred_username", "alice");
        return claims;
    }

    static String encode(Map<String, Object> json) {
        return encode(JSONObjectUtils.toJSONString(json));
    }

    static String encode(String text) {
        return Base64URL.encode(text.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** A JWS of exactly this header and these claims, signed with {@code key}. */
    static String sign(Map<String, Object> header, Map<String, Object> claims, JwtKey key) {
        return sign(encode(header), encode(claims), key);
    }

    /** A JWS of these already encoded parts, signed with {@code key} using the header's alg. */
    static String sign(String encodedHeader, String encodedClaims, JwtKey key) {
        try {
            return sign(encodedHeader, encodedClaims, JwsSigners.forKey(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JWS of these already encoded parts, signed by {@code signer} using the header's alg. */
    static String sign(String encodedHeader, String encodedClaims, JWSSigner signer) {
        try {
            String signingInput = encodedHeader + "." + encodedClaims;
            JWSHeader header = JWSHeader.parse(new Base64URL(encodedHeader));
            Base64URL signature = signer.sign(header, signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + signature;
        } catch (JOSEException | ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JSON object in part {@code index} (0 header, 1 claims) of a token. */
    static Map<String, Object> part(String token, int index) {
        try {
            return JSONObjectUtils.parse(new Base64URL(token.split("\\.")[index]).decodeToString());
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }
}
