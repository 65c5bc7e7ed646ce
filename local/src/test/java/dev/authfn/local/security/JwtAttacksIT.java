package dev.authfn.local.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.authfn.local.testing.Http;
import dev.authfn.local.testing.Login;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.authfn.testkit.dynamodb.DynamoDbTestEndpoint;
import dev.authfn.testkit.dynamodb.DynamoDbEndpointExtension;

/**
 * SECURITY.md "Attacks and bad inputs", JWT, over real HTTP. The test holds the API's key set, so
 * it takes a real access token from a login and changes exactly one thing, re-signing with the
 * API's own RSA key where the attack needs a valid signature: the only reason to deny is the
 * change. Each denial is API Gateway's 403 and the authorizer's logged reason.
 */
@ExtendWith(DynamoDbEndpointExtension.class)
class JwtAttacksIT {

    private static SecurityApi sut;
    private static Http http;
    private static Login login;
    private static RSAKey ourKey;

    @BeforeAll
    static void start(DynamoDbTestEndpoint dynamodb) throws Exception {
        sut = SecurityApi.start(JwtAttacksIT.class, dynamodb);
        http = sut.http();
        sut.addUser("alice", Set.of("user"), Set.of("posts:create"));
        sut.addUser("root", Set.of("admin"), Set.of());
        ourKey = (RSAKey) sut.keys().activeJwtKey().jwk();
    }

    @AfterAll
    static void stop() {
        if (sut != null) {
            sut.close();
        }
    }

    @org.junit.jupiter.api.BeforeEach
    void freshLogin() {
        login = sut.login("alice");
    }

    @Test
    void controlTheRealTokenAndItsUnchangedReSigningPass() throws Exception {
        assertThat(login.withBearer(http.get("/protected")).send().status()).isEqualTo(200);
        assertThat(http.get("/protected").bearer(resign(header(), claims())).send().status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "None", "NONE", "nOnE", "NoNe"})
    void algNoneInAnyLetterCaseIsDenied(String none) throws Exception {
        Map<String, Object> header = header();
        header.put("alg", none);
        String unsigned = encode(header) + "." + encode(claims()) + ".";
        String signatureKept = encode(header) + "." + encode(claims()) + "." + login.accessToken().split("\\.")[2];

        deniedFor(http.get("/protected").bearer(unsigned), "BAD_TOKEN/ALG_NONE");
        deniedFor(http.get("/protected").bearer(signatureKept), "BAD_TOKEN/ALG_NONE");
    }

    @Test
    void hs256KeyedWithOurRsaPublicKeyFromTheJwksIsDenied() throws Exception {
        Http.Response jwks = http.get("/.well-known/jwks.json").send();
        assertThat(jwks.status()).isEqualTo(200);
        RSAKey published = (RSAKey) JWKSet.parse(jwks.body()).getKeyByKeyId(ourKey.getKeyID());
        assertThat(published.isPrivate()).isFalse();
        byte[] der = published.toRSAPublicKey().getEncoded();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END PUBLIC KEY-----\n";
        List<byte[]> secrets = List.of(der, pem.getBytes(StandardCharsets.US_ASCII),
                published.toJSONString().getBytes(StandardCharsets.UTF_8), published.getModulus().decode(),
                jwks.body().getBytes(StandardCharsets.UTF_8));

        for (byte[] secret : secrets) {
            Map<String, Object> header = header();
            header.put("alg", "HS256");
            deniedFor(http.get("/protected").bearer(sign(header, claims(), new MACSigner(secret), JWSAlgorithm.HS256)),
                    "BAD_TOKEN/ALG_NOT_ALLOWED");
        }
    }

    @Test
    void algorithmsOutsideTheAllowlistAreDeniedEvenWithOurOwnKey() throws Exception {
        for (JWSAlgorithm alg : List.of(JWSAlgorithm.RS384, JWSAlgorithm.RS512, JWSAlgorithm.PS256)) {
            Map<String, Object> header = header();
            header.put("alg", alg.getName());
            deniedFor(http.get("/protected").bearer(sign(header, claims(), new RSASSASigner(ourKey), alg)),
                    "BAD_TOKEN/ALG_NOT_ALLOWED");
        }
        ECKey attacker = new ECKeyGenerator(Curve.P_256).generate();
        Map<String, Object> header = header();
        header.put("alg", "ES256");
        deniedFor(http.get("/protected").bearer(sign(header, claims(), new ECDSASigner(attacker), JWSAlgorithm.ES256)),
                "BAD_TOKEN/ALG_NOT_ALLOWED");
    }

    @Test
    void keyReferencesInTheHeaderAreDeniedAndNothingIsFetched() throws Exception {
        RSAKey attacker = new RSAKeyGenerator(2048).keyID(ourKey.getKeyID()).generate();
        try (ServerSocket trap = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            AtomicInteger connections = new AtomicInteger();
            Thread acceptor = Thread.ofVirtual().start(() -> {
                while (!trap.isClosed()) {
                    try (Socket ignored = trap.accept()) {
                        connections.incrementAndGet();
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            String url = "http://127.0.0.1:" + trap.getLocalPort() + "/jwks.json";
            List<Map<String, Object>> headers = new ArrayList<>();
            for (String member : List.of("jku", "x5u")) {
                Map<String, Object> header = header();
                header.put(member, url);
                headers.add(header);
            }
            Map<String, Object> embedded = header();
            embedded.put("jwk", attacker.toPublicJWK().toJSONObject());
            headers.add(embedded);
            Map<String, Object> chain = header();
            chain.put("x5c", List.of(Base64.getEncoder().encodeToString(attacker.toRSAPublicKey().getEncoded())));
            headers.add(chain);

            for (Map<String, Object> header : headers) {
                deniedFor(http.get("/protected").bearer(sign(header, claims(), new RSASSASigner(attacker), JWSAlgorithm.RS256)),
                        "BAD_TOKEN/KEY_IN_HEADER");
            }
            // The authorizer answered before each response was sent: any fetch would already have connected.
            assertThat(connections.get()).as("outbound connections to the attacker's URL").isZero();
            trap.close();
            acceptor.join(Duration.ofSeconds(5));
        }
    }

    @Test
    void aSignatureBitFlipIsDenied() throws Exception {
        String[] parts = login.accessToken().split("\\.");
        byte[] signature = new Base64URL(parts[2]).decode();
        for (int bit : new int[] {0, 7, 1000, signature.length * 8 - 1}) {
            byte[] flipped = signature.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            deniedFor(http.get("/protected").bearer(parts[0] + "." + parts[1] + "." + Base64URL.encode(flipped)),
                    "BAD_TOKEN/BAD_SIGNATURE");
        }
    }

    @Test
    void editedClaimsUnderTheOriginalSignatureAreDenied() throws Exception {
        String[] parts = login.accessToken().split("\\.");
        Map<String, Object> admin = claims();
        admin.put("roles", List.of("admin"));
        Map<String, Object> otherUser = claims();
        otherUser.put("sub", "00000000-0000-0000-0000-000000000000");

        deniedFor(http.get("/admin").bearer(parts[0] + "." + encode(admin) + "." + parts[2]), "BAD_TOKEN/BAD_SIGNATURE");
        deniedFor(http.get("/protected").bearer(parts[0] + "." + encode(otherUser) + "." + parts[2]),
                "BAD_TOKEN/BAD_SIGNATURE");
    }

    @Test
    void expiredBeyondTheSkewIsDeniedAndWithinItIsNot() throws Exception {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> expired = claims();
        expired.put("iat", now - 600);
        expired.put("exp", now - 120);
        Map<String, Object> withinSkew = claims();
        withinSkew.put("iat", now - 330);
        withinSkew.put("exp", now - 30);

        deniedFor(http.get("/protected").bearer(resign(header(), expired)), "BAD_TOKEN/EXPIRED");
        assertThat(http.get("/protected").bearer(resign(header(), withinSkew)).send().status())
                .as("control: 30 s past exp is inside the 60 s skew").isEqualTo(200);
    }

    @Test
    void nbfInTheFutureIsDenied() throws Exception {
        Map<String, Object> claims = claims();
        claims.put("nbf", Instant.now().getEpochSecond() + 120);
        deniedFor(http.get("/protected").bearer(resign(header(), claims)), "BAD_TOKEN/NOT_YET_VALID");
    }

    @Test
    void missingExpIsDenied() throws Exception {
        Map<String, Object> claims = claims();
        claims.remove("exp");
        deniedFor(http.get("/protected").bearer(resign(header(), claims)), "BAD_TOKEN/MISSING_CLAIM");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/x", "s"})
    void issuerWithATrailingSlashOrAnyOtherChangeIsDenied(String suffix) throws Exception {
        Map<String, Object> claims = claims();
        claims.put("iss", sut.issuer() + suffix);
        deniedFor(http.get("/protected").bearer(resign(header(), claims)), "BAD_TOKEN/WRONG_ISSUER");
    }

    @Test
    void audienceMissingOrForeignIsDenied() throws Exception {
        Map<String, Object> missing = claims();
        missing.remove("aud");
        Map<String, Object> foreign = claims();
        foreign.put("aud", "another-api");
        Map<String, Object> foreignList = claims();
        foreignList.put("aud", List.of("another-api", "authfn-api/"));

        deniedFor(http.get("/protected").bearer(resign(header(), missing)), "BAD_TOKEN/MISSING_CLAIM");
        deniedFor(http.get("/protected").bearer(resign(header(), foreign)), "BAD_TOKEN/WRONG_AUDIENCE");
        deniedFor(http.get("/protected").bearer(resign(header(), foreignList)), "BAD_TOKEN/WRONG_AUDIENCE");
    }

    @ParameterizedTest
    @ValueSource(strings = {"JWT", "jwt", "at+jwt ", "application/at+jwt", "at+jwt;v=1", ""})
    void typOtherThanAtJwtIsDenied(String typ) throws Exception {
        Map<String, Object> header = header();
        header.put("typ", typ);
        deniedFor(http.get("/protected").bearer(resign(header, claims())), "BAD_TOKEN/WRONG_TYP");
    }

    @Test
    void typIsComparedAsAMediaTypeCaseInsensitively() throws Exception {
        // RFC 7515 4.1.9: typ is a media type name, and those compare case-insensitively.
        Map<String, Object> header = header();
        header.put("typ", "AT+JWT");
        assertThat(http.get("/protected").bearer(resign(header, claims())).send().status()).isEqualTo(200);
    }

    @Test
    void missingTypIsDenied() throws Exception {
        Map<String, Object> header = header();
        header.remove("typ");
        deniedFor(http.get("/protected").bearer(resign(header, claims())), "BAD_TOKEN/WRONG_TYP");
    }

    @Test
    void critHeaderWithAnUnknownParameterIsDenied() throws Exception {
        Map<String, Object> header = header();
        header.put("crit", List.of("urn:attacker:ext"));
        header.put("urn:attacker:ext", true);
        deniedFor(http.get("/protected").bearer(resign(header, claims())), "BAD_TOKEN/CRITICAL_HEADER");
    }

    @Test
    void sixteenKilobyteHeaderIsDeniedQuickly() throws Exception {
        Map<String, Object> header = header();
        header.put("pad", "x".repeat(16 * 1024));
        Http.Call call = http.get("/protected").bearer(resign(header, claims()));
        Http.Response response = deniedFor(call, "BAD_TOKEN/TOO_LARGE");
        assertThat(response.elapsed()).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aTokenOfAQuarterMegabyteReachesTheAuthorizerAndIsDeniedQuickly() throws Exception {
        Map<String, Object> claims = claims();
        claims.put("pad", "x".repeat(192 * 1024));
        Http.Response response = deniedFor(http.get("/protected").bearer(resign(header(), claims)), "BAD_TOKEN/TOO_LARGE");
        assertThat(response.elapsed()).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void oneMegabyteTokenIsRefusedAtTheHttpLayerQuicklyAndTheApiKeepsServing() throws Exception {
        Map<String, Object> claims = claims();
        claims.put("pad", "x".repeat(1024 * 1024));
        long started = System.nanoTime();

        // The local API's HTTP server (JDK HttpServer) drops a request whose headers exceed its limit
        // before any function runs; API Gateway, too, refuses such headers itself. The verifier's own
        // refusal of a 1 MB token is AccessTokenVerifierTest#refusesOneMegabyteTokenQuicklyAsTooLarge.
        http.get("/protected").bearer(resign(header(), claims)).sendExpectingNoResponse();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(login.withBearer(http.get("/protected")).send().status()).isEqualTo(200);
        assertThat(sut.logLines()).noneMatch(line -> line.contains("StackOverflowError") || line.contains("OutOfMemoryError"));
    }

    @Test
    void deeplyNestedClaimsAreDeniedQuicklyWithoutStackOverflow() throws Exception {
        // Deep enough to overflow a naive recursive parser, small enough to pass the size screen.
        int depth = 2_500;
        String nested = "[".repeat(depth) + "]".repeat(depth);
        String claimsJson = JSONObjectUtils.toJSONString(claims());
        claimsJson = claimsJson.substring(0, claimsJson.length() - 1) + ",\"deep\":" + nested + "}";
        String signingInput = encode(header()) + "." + Base64URL.encode(claimsJson.getBytes(StandardCharsets.UTF_8));
        String token = signingInput + "." + new RSASSASigner(ourKey).sign(new JWSHeader(JWSAlgorithm.RS256),
                signingInput.getBytes(StandardCharsets.US_ASCII));
        assertThat(token.length()).isLessThan(8 * 1024);

        Http.Response response = deniedFor(http.get("/protected").bearer(token), "BAD_TOKEN/MALFORMED");
        assertThat(response.elapsed()).isLessThan(Duration.ofSeconds(5));
        assertThat(sut.logLines()).noneMatch(line -> line.contains("StackOverflowError"));
    }

    @Test
    void anEncryptedTokenIsDenied() throws Exception {
        JWEObject jwe = new JWEObject(new JWEHeader.Builder(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM)
                .keyID(ourKey.getKeyID()).build(), new Payload(login.accessToken()));
        jwe.encrypt(new RSAEncrypter(ourKey.toPublicJWK()));
        deniedFor(http.get("/protected").bearer(jwe.serialize()), "BAD_TOKEN/ENCRYPTED");
    }

    // --- forging helpers -------------------------------------------------------------------

    private static Map<String, Object> header() throws Exception {
        return new LinkedHashMap<>(JSONObjectUtils.parse(new Base64URL(login.accessToken().split("\\.")[0]).decodeToString()));
    }

    private static Map<String, Object> claims() throws Exception {
        return new LinkedHashMap<>(JSONObjectUtils.parse(new Base64URL(login.accessToken().split("\\.")[1]).decodeToString()));
    }

    private static String encode(Map<String, Object> json) {
        return Base64URL.encode(JSONObjectUtils.toJSONString(json).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** Signs the header and claims as given with the API's own RS256 key. */
    private static String resign(Map<String, Object> header, Map<String, Object> claims) throws Exception {
        return sign(header, claims, new RSASSASigner(ourKey), JWSAlgorithm.RS256);
    }

    private static String sign(Map<String, Object> header, Map<String, Object> claims, JWSSigner signer,
            JWSAlgorithm algorithm) throws Exception {
        String signingInput = encode(header) + "." + encode(claims);
        return signingInput + "." + signer.sign(new JWSHeader(algorithm), signingInput.getBytes(StandardCharsets.US_ASCII));
    }

    /** Sends the call; expects API Gateway's 403 and the authorizer's log line with {@code reason}. */
    private static Http.Response deniedFor(Http.Call call, String reason) {
        int linesBefore = sut.logLines().size();
        Http.Response response = call.send();
        Expect.deniedByTheAuthorizer(response);
        List<String> lines = sut.logLines();
        assertThat(lines.subList(linesBefore, lines.size())).as("log lines of %s", response)
                .anyMatch(line -> line.contains("\"event\":\"authorize\",\"outcome\":\"deny\",\"reason\":\"" + reason + "\""));
        return response;
    }
}
