package dev.authfn.secrets.internal;

import dev.authfn.secrets.Credentials;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SequencedMap;
import java.util.SortedMap;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 for the calls this module makes: a request to the path {@code /} with
 * no query string, as every AWS JSON-protocol API takes, signed in the {@code Authorization}
 * header. Like the AWS SDK, it also sends and signs {@code x-amz-content-sha256}, so it produces
 * the very header the SDK's own signer does. Signing follows AWS's four steps:
 *
 * <ol>
 *   <li><b>Canonical request</b>: method, path, query (empty), the signed headers (names
 *       lower-cased and sorted, values trimmed, runs of spaces folded), their names joined by {@code ;}, and the hex
 *       SHA-256 of the body.
 *   <li><b>String to sign</b>: {@code AWS4-HMAC-SHA256}, the timestamp, the credential scope
 *       {@code date/region/service/aws4_request} and the hex SHA-256 of the canonical request.
 *   <li><b>Signing key</b>: an HMAC-SHA256 chain starting from {@code "AWS4" + secret key} over
 *       the date, the region, the service and {@code aws4_request}.
 *   <li><b>Signature</b>: hex HMAC-SHA256 of the string to sign under the signing key, sent with
 *       the access key id, the scope and the signed header names in {@code Authorization}.
 * </ol>
 *
 * @see <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html">Create a signed AWS API request</a>
 */
public final class SigV4Signer {

    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final HexFormat HEX = HexFormat.of();

    private final String service;
    private final String region;

    /**
     * @param service the signing name of the service, e.g. {@code secretsmanager}
     * @param region the region, e.g. {@code us-east-1}
     */
    public SigV4Signer(String service, String region) {
        this.service = service;
        this.region = region;
    }

    /**
     * Signs a request and returns the headers to add to it, in this order:
     * {@code X-Amz-Content-Sha256}, {@code X-Amz-Date}, {@code X-Amz-Security-Token} when the
     * credentials carry a token, and {@code Authorization}.
     *
     * @param method the HTTP method, e.g. {@code POST}
     * @param uri the request URI; its host, with the port unless it is the scheme's default, is
     *     signed as the {@code Host} header that the HTTP client sends by itself
     * @param headers the other headers the request carries; all of them are signed
     * @param body the exact bytes of the request body
     * @param now the signing time
     */
    public SequencedMap<String, String> sign(
            String method, URI uri, Map<String, String> headers, byte[] body,
            Credentials credentials, Instant now) {
        if (!"/".equals(uri.getRawPath()) || uri.getRawQuery() != null) {
            throw new IllegalArgumentException("SigV4Signer signs requests to the path / without a query, not " + uri);
        }
        String timestamp = TIMESTAMP.format(now);
        String date = timestamp.substring(0, 8);
        String scope = date + "/" + region + "/" + service + "/aws4_request";
        String bodyHash = HEX.formatHex(sha256(body));
        SequencedMap<String, String> added = new LinkedHashMap<>();
        added.put("X-Amz-Content-Sha256", bodyHash);
        added.put("X-Amz-Date", timestamp);
        credentials.sessionToken().ifPresent(token -> added.put("X-Amz-Security-Token", token));

        SortedMap<String, String> signedHeaders = new TreeMap<>();
        headers.forEach((name, value) -> signedHeaders.put(name.toLowerCase(Locale.ROOT), canonicalValue(value)));
        added.forEach((name, value) -> signedHeaders.put(name.toLowerCase(Locale.ROOT), canonicalValue(value)));
        signedHeaders.put("host", hostHeader(uri));
        String signedHeaderNames = String.join(";", signedHeaders.keySet());

        String canonicalRequest = canonicalRequest(method, signedHeaders, bodyHash);
        String stringToSign = String.join("\n",
                ALGORITHM, timestamp, scope, HEX.formatHex(sha256(utf8(canonicalRequest))));
        String signature = HEX.formatHex(hmacSha256(signingKey(credentials.secretAccessKey(), date), stringToSign));

        added.put("Authorization", ALGORITHM + " Credential=" + credentials.accessKeyId() + "/" + scope
                + ", SignedHeaders=" + signedHeaderNames + ", Signature=" + signature);
        return Collections.unmodifiableSequencedMap(added);
    }

    /** Step 1: the request as AWS hashes it. Path {@code /}, empty query, headers sorted by name. */
    private static String canonicalRequest(String method, SortedMap<String, String> signedHeaders, String bodyHash) {
        StringBuilder canonicalHeaders = new StringBuilder();
        signedHeaders.forEach((name, value) -> canonicalHeaders.append(name).append(':').append(value).append('\n'));
        return String.join("\n",
                method, "/", "", canonicalHeaders, String.join(";", signedHeaders.keySet()), bodyHash);
    }

    /** Step 3: HMAC("AWS4" + secret key, date), then region, service and "aws4_request" in turn. */
    private byte[] signingKey(String secretAccessKey, String date) {
        byte[] key = utf8("AWS4" + secretAccessKey);
        for (String part : List.of(date, region, service, "aws4_request")) {
            key = hmacSha256(key, part);
        }
        return key;
    }

    private static String canonicalValue(String headerValue) {
        return headerValue.strip().replaceAll(" +", " ");
    }

    /** The Host header as the JDK's HttpClient sends it: the port only when it is not the default. */
    private static String hostHeader(URI uri) {
        int port = uri.getPort();
        boolean defaultPort = port == -1
                || ("https".equalsIgnoreCase(uri.getScheme()) && port == 443)
                || ("http".equalsIgnoreCase(uri.getScheme()) && port == 80);
        return defaultPort ? uri.getHost() : uri.getHost() + ":" + port;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private static byte[] hmacSha256(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(utf8(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
