package dev.authfn.secrets.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.authfn.secrets.Credentials;
import dev.authfn.secrets.testing.AwsSdkSigner;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.http.SdkHttpRequest;

class SigV4SignerTest {

    private static final Map<String, String> GET_SECRET_VALUE_HEADERS = Map.of(
            "Content-Type", "application/x-amz-json-1.1",
            "X-Amz-Target", "secretsmanager.GetSecretValue");
    private static final Credentials LONG_TERM =
            new Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", Optional.empty());
    private static final Credentials TEMPORARY = new Credentials("ASIAQEXAMPLE7TOKEN12",
            "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
            Optional.of("IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+token/with+slashes=="));
    private static final Instant NOW = Instant.parse("2025-03-14T15:09:26Z");

    /** One GetSecretValue request to sign; {@code name} shows in the test report. */
    record Case(String name, String region, URI endpoint, Credentials credentials, String secretId, Instant now) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> getSecretValueRequests() {
        return Stream.of(
                new Case("long-term keys, us-east-1", "us-east-1",
                        regional("us-east-1"), LONG_TERM, "authfn/keys", NOW),
                new Case("session token, eu-west-1", "eu-west-1",
                        regional("eu-west-1"), TEMPORARY, "authfn/keys", NOW),
                new Case("unicode secret id, ap-southeast-2", "ap-southeast-2",
                        regional("ap-southeast-2"), TEMPORARY, "clés/ключи/鍵-🔑", NOW),
                new Case("secret id that needs JSON escapes, us-gov-west-1", "us-gov-west-1",
                        regional("us-gov-west-1"), LONG_TERM, "quote\" backslash\\ newline\n tab\t", NOW),
                new Case("ARN secret id, us-west-2", "us-west-2", regional("us-west-2"), TEMPORARY,
                        "arn:aws:secretsmanager:us-west-2:123456789012:secret:authfn/keys-a1B2c3", NOW),
                new Case("local endpoint with a port", "us-east-1",
                        URI.create("http://127.0.0.1:4566/"), TEMPORARY, "authfn/keys", NOW),
                new Case("default https port spelt out", "us-east-1",
                        URI.create("https://secretsmanager.us-east-1.amazonaws.com:443/"), LONG_TERM, "authfn/keys", NOW),
                new Case("last second of a leap day", "eu-central-1", regional("eu-central-1"), TEMPORARY,
                        "authfn/keys", Instant.parse("2024-02-29T23:59:59Z")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("getSecretValueRequests")
    void signsGetSecretValueExactlyAsTheAwsSdkDoes(Case request) {
        byte[] body = JSONObjectUtils.toJSONString(Map.of("SecretId", request.secretId()))
                .getBytes(StandardCharsets.UTF_8);

        Map<String, String> ours = new SigV4Signer("secretsmanager", request.region()).sign(
                "POST", request.endpoint(), GET_SECRET_VALUE_HEADERS, body, request.credentials(), request.now());
        SdkHttpRequest sdks = AwsSdkSigner.signPost("secretsmanager", request.region(), request.endpoint(),
                GET_SECRET_VALUE_HEADERS, body, request.credentials(), request.now());

        assertThat(ours.get("Authorization")).isEqualTo(sdks.firstMatchingHeader("Authorization").orElseThrow());
        assertThat(ours.get("X-Amz-Date")).isEqualTo(sdks.firstMatchingHeader("X-Amz-Date").orElseThrow());
        assertThat(ours.get("X-Amz-Content-Sha256")).isEqualTo(sdks.firstMatchingHeader("x-amz-content-sha256").orElseThrow());
        assertThat(Optional.ofNullable(ours.get("X-Amz-Security-Token")))
                .isEqualTo(sdks.firstMatchingHeader("X-Amz-Security-Token"));
    }

    @Test
    void trimsAndFoldsHeaderValuesAsTheAwsSdkDoes() {
        Map<String, String> headers = Map.of("Content-Type", "  application/x-amz-json-1.1  ",
                "X-Amz-Target", "secretsmanager.GetSecretValue", "X-Example", "two   words  ");
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        URI endpoint = regional("us-east-1");

        Map<String, String> ours = new SigV4Signer("secretsmanager", "us-east-1")
                .sign("POST", endpoint, headers, body, TEMPORARY, NOW);
        SdkHttpRequest sdks = AwsSdkSigner.signPost("secretsmanager", "us-east-1", endpoint, headers, body, TEMPORARY, NOW);

        assertThat(ours.get("Authorization")).isEqualTo(sdks.firstMatchingHeader("Authorization").orElseThrow());
    }

    @Test
    void addsTheSessionTokenAndSignsIt() {
        Map<String, String> added = new SigV4Signer("secretsmanager", "eu-west-1").sign("POST",
                regional("eu-west-1"), GET_SECRET_VALUE_HEADERS, new byte[0], TEMPORARY, NOW);

        assertThat(added.keySet())
                .containsExactly("X-Amz-Content-Sha256", "X-Amz-Date", "X-Amz-Security-Token", "Authorization");
        assertThat(added.get("X-Amz-Security-Token")).isEqualTo(TEMPORARY.sessionToken().orElseThrow());
        assertThat(added.get("Authorization")).contains(
                "Credential=ASIAQEXAMPLE7TOKEN12/20250314/eu-west-1/secretsmanager/aws4_request, "
                        + "SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-amz-target, Signature=");
    }

    @Test
    void refusesAPathOrAQuery() {
        SigV4Signer signer = new SigV4Signer("secretsmanager", "us-east-1");

        assertThatThrownBy(() -> signer.sign("POST", URI.create("https://example.com/v1/secret"),
                Map.of(), new byte[0], LONG_TERM, NOW))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> signer.sign("POST", URI.create("https://example.com/?a=b"),
                Map.of(), new byte[0], LONG_TERM, NOW))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static URI regional(String region) {
        return URI.create("https://secretsmanager." + region + ".amazonaws.com/");
    }
}
