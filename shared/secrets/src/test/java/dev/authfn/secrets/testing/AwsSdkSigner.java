package dev.authfn.secrets.testing;

import dev.authfn.secrets.Credentials;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/** The AWS SDK's own SigV4 signer ({@link AwsV4HttpSigner}): the reference ours must match. */
public final class AwsSdkSigner {

    private AwsSdkSigner() {}

    /** A POST to {@code uri} with these headers and body, signed by the SDK at {@code now}. */
    public static SdkHttpRequest signPost(
            String service, String region, URI uri, Map<String, String> headers, byte[] body,
            Credentials credentials, Instant now) {
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri);
        headers.forEach(request::putHeader);
        AwsCredentialsIdentity identity = credentials.sessionToken()
                .<AwsCredentialsIdentity>map(token -> AwsSessionCredentialsIdentity.create(
                        credentials.accessKeyId(), credentials.secretAccessKey(), token))
                .orElseGet(() -> AwsCredentialsIdentity.create(credentials.accessKeyId(), credentials.secretAccessKey()));
        return AwsV4HttpSigner.create()
                .sign(sign -> sign
                        .identity(identity)
                        .request(request.build())
                        .payload(ContentStreamProvider.fromByteArray(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(now, ZoneOffset.UTC)))
                .request();
    }
}
