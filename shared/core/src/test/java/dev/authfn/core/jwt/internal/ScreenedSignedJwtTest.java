package dev.authfn.core.jwt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScreenedSignedJwtTest {

    private static final byte[] SECRET = new byte[32];

    private static String[] parts(String compact) {
        return compact.split("\\.");
    }

    private static ScreenedSignedJwt screened(String compact) throws ParseException {
        String[] parts = parts(compact);
        return new ScreenedSignedJwt(parts[0], parts[1], parts[2]);
    }

    @Test
    void readsTheSameClaimsAsNimbus() throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject("u-ülrich").issuer("https://auth.example.com").audience(List.of("a", "b"))
                .expirationTime(new Date(1_800_000_000_000L)).claim("roles", List.of("admin", "user"))
                .claim("scope", "posts:create").build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(SECRET));
        String compact = jwt.serialize();

        assertThat(screened(compact).getJWTClaimsSet().toJSONObject())
                .isEqualTo(SignedJWT.parse(compact).getJWTClaimsSet().toJSONObject());
    }

    @Test
    void keepsTheSigningInputAndSignatureAsSent() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject("a").build());
        jwt.sign(new MACSigner(SECRET));
        String compact = jwt.serialize();

        ScreenedSignedJwt screened = screened(compact);

        assertThat(screened.getSigningInput()).isEqualTo(jwt.getSigningInput());
        assertThat(screened.getSignature()).isEqualTo(jwt.getSignature());
    }

    @Test
    void refusesAPayloadThatIsNotAJsonObject() throws Exception {
        String header = new JWSHeader(JWSAlgorithm.HS256).toBase64URL().toString();
        String array = Base64URL.encode("[1,2]").toString();
        String text = Base64URL.encode("not json").toString();

        assertThatThrownBy(() -> new ScreenedSignedJwt(header, array, "AAAA").getJWTClaimsSet())
                .isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> new ScreenedSignedJwt(header, text, "AAAA").getJWTClaimsSet())
                .isInstanceOf(ParseException.class);
    }

    @Test
    void refusesAHeaderThatIsNotAJwsHeader() {
        String noAlg = Base64URL.encode("{\"typ\":\"JWT\"}").toString();

        assertThatThrownBy(() -> new ScreenedSignedJwt(noAlg, "e30", "AAAA")).isInstanceOf(ParseException.class);
    }
}
