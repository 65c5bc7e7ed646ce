package dev.authfn.secrets;

import dev.authfn.core.json.Json;
import dev.authfn.secrets.internal.SigV4Signer;
import dev.authfn.core.config.AwsRegion;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a secret's {@code SecretString} from AWS Secrets Manager ({@code GetSecretValue}) with one
 * SigV4-signed POST over the JDK's {@link HttpClient}, so a function loads its key set without
 * the AWS SDK on its classpath. Build one at init and share it: it holds one HTTP client and is
 * safe for concurrent use. Each request is signed with the credentials its
 * {@link CredentialsProvider} gives at that moment. Nothing is retried; a failure is a
 * {@link SecretUnavailableException}.
 */
public final class SecretsManagerReader {

    /** How long to wait for a connection to the endpoint. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** How long to wait for the answer once the request is sent. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private static final String SERVICE = "secretsmanager";
    private static final Map<String, String> HEADERS = Map.of(
            "Content-Type", "application/x-amz-json-1.1",
            "X-Amz-Target", "secretsmanager.GetSecretValue");
    private static final Pattern REGION = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)+");
    private static final Pattern ERROR_TYPE = Pattern.compile("[A-Za-z0-9_.]{1,128}");

    private final URI endpoint;
    private final CredentialsProvider credentials;
    private final SigV4Signer signer;
    private final Clock clock;
    private final HttpClient httpClient;

    /**
     * A reader that signs every request with the same credentials.
     *
     * @param endpoint {@code http(s)://host[:port]} with no path beyond {@code /}: the regional
     *     endpoint, or a local one in tests
     * @param region the region whose endpoint this is; part of the signature
     * @param clock the signing time
     */
    public SecretsManagerReader(URI endpoint, String region, Credentials credentials, Clock clock) {
        this(endpoint, region, CredentialsProvider.of(credentials), clock);
    }

    /**
     * A reader that asks {@code credentials} for the credentials to sign each request with, so
     * credentials that expire are refreshed by the provider and never fixed at construction.
     *
     * @param endpoint {@code http(s)://host[:port]} with no path beyond {@code /}: the regional
     *     endpoint, or a local one in tests
     * @param region the region whose endpoint this is; part of the signature
     * @param clock the signing time
     */
    public SecretsManagerReader(URI endpoint, String region, CredentialsProvider credentials, Clock clock) {
        this.endpoint = rootOf(endpoint);
        if (region == null || !REGION.matcher(region).matches()) {
            throw new IllegalArgumentException("region must be a name like us-east-1, not " + region);
        }
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.signer = new SigV4Signer(SERVICE, region);
        this.clock = Objects.requireNonNull(clock, "clock");
        // HTTP/1.1: a call every few minutes gains nothing from HTTP/2, and on a plain-http test
        // endpoint the JDK would otherwise try an h2c upgrade.
        this.httpClient = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .build();
    }

    /**
     * A reader configured the way Lambda configures a function. Credentials come from
     * {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and {@code AWS_SESSION_TOKEN} (if
     * set) when {@code AWS_ACCESS_KEY_ID} is set; otherwise from the container credentials endpoint
     * {@code AWS_CONTAINER_CREDENTIALS_FULL_URI}, as Lambda gives them to SnapStart functions (see
     * {@link ContainerCredentials}), fetched at the first request, not here. The region comes from
     * {@link AwsRegion} ({@code AWS_REGION}, else {@code AWS_DEFAULT_REGION}, as for DynamoDB),
     * and the endpoint is {@code https://secretsmanager.<region>.amazonaws.com/}
     * unless {@code AUTHFN_SECRETS_ENDPOINT} names another (local use and tests).
     *
     * @throws IllegalArgumentException listing every missing or malformed variable, never a value
     *     of a credential
     */
    public static SecretsManagerReader fromEnvironment(Map<String, String> env, Clock clock) {
        List<String> problems = new ArrayList<>();
        Optional<CredentialsProvider> credentials = credentialsFrom(env, clock, problems);
        Optional<String> region = AwsRegion.from(env);
        if (region.isEmpty()) {
            problems.add("AWS_REGION (or AWS_DEFAULT_REGION) is required");
        } else if (!REGION.matcher(region.get()).matches()) {
            problems.add("AWS_REGION must be a region name like us-east-1");
        }
        Optional<URI> endpointOverride = Optional.empty();
        String override = env.get("AUTHFN_SECRETS_ENDPOINT");
        if (override != null && !override.isBlank()) {
            try {
                endpointOverride = Optional.of(rootOf(URI.create(override)));
            } catch (IllegalArgumentException e) {
                problems.add("AUTHFN_SECRETS_ENDPOINT: " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Cannot read secrets from Secrets Manager: " + String.join("; ", problems));
        }
        URI endpoint = endpointOverride.orElse(URI.create("https://secretsmanager." + region.orElseThrow() + ".amazonaws.com/"));
        return new SecretsManagerReader(endpoint, region.orElseThrow(), credentials.orElseThrow(), clock);
    }

    /** Environment keys when {@code AWS_ACCESS_KEY_ID} is set, else container credentials, else a problem. */
    private static Optional<CredentialsProvider> credentialsFrom(Map<String, String> env, Clock clock, List<String> problems) {
        if (isSet(env, "AWS_ACCESS_KEY_ID")) {
            Optional<String> secretAccessKey = required(env, "AWS_SECRET_ACCESS_KEY", problems);
            Optional<String> sessionToken = Optional.ofNullable(env.get("AWS_SESSION_TOKEN")).filter(t -> !t.isBlank());
            return secretAccessKey.map(secret ->
                    CredentialsProvider.of(new Credentials(env.get("AWS_ACCESS_KEY_ID"), secret, sessionToken)));
        }
        if (isSet(env, ContainerCredentials.FULL_URI)) {
            try {
                return Optional.of(ContainerCredentials.fromEnvironment(env, clock));
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
                return Optional.empty();
            }
        }
        problems.add("no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for "
                + "temporary keys), or AWS_CONTAINER_CREDENTIALS_FULL_URI with AWS_CONTAINER_AUTHORIZATION_TOKEN or "
                + "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (Lambda SnapStart)");
        return Optional.empty();
    }

    /** The endpoint requests go to, e.g. {@code https://secretsmanager.eu-west-1.amazonaws.com/}. */
    public URI endpoint() {
        return endpoint;
    }

    /**
     * The current value ({@code AWSCURRENT}) of a secret stored as a string.
     *
     * @param secretId the secret's name or ARN
     * @throws SecretUnavailableException if the endpoint cannot be reached within the timeouts,
     *     answers with an error, or its answer holds no {@code SecretString} (a binary secret)
     */
    public String getSecretString(String secretId) {
        Objects.requireNonNull(secretId, "secretId");
        byte[] body = Json.write(Map.of("SecretId", secretId)).getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(REQUEST_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        HEADERS.forEach(request::header);
        Credentials signing;
        try {
            signing = credentials.resolve();
        } catch (SecretUnavailableException e) {
            throw new SecretUnavailableException(failure(secretId, "no credentials (" + e.getMessage() + ")"), e);
        }
        signer.sign("POST", endpoint, HEADERS, body, signing, clock.instant()).forEach(request::header);

        HttpResponse<String> response;
        try {
            response = httpClient.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SecretUnavailableException(failure(secretId, "I/O error (" + e.getClass().getSimpleName() + ")"), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SecretUnavailableException(failure(secretId, "interrupted"), e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new SecretUnavailableException(failure(secretId, "HTTP " + response.statusCode() + " " + errorType(response)));
        }
        Object secret = jsonObject(response.body()).map(answer -> answer.get("SecretString")).orElse(null);
        if (secret instanceof String secretString) {
            return secretString;
        }
        throw new SecretUnavailableException(failure(secretId,
                "HTTP " + response.statusCode() + " but the answer holds no SecretString (a binary secret, or not JSON)"));
    }

    private static String failure(String secretId, String reason) {
        return "GetSecretValue for secret \"" + secretId + "\" failed: " + reason;
    }

    /**
     * The AWS error type of an error answer: {@code __type} in the body, else the
     * {@code x-amzn-ErrorType} header, without a namespace ({@code ...#}) or a suffix
     * ({@code :...}). Anything else in the answer is left out of messages: it may echo input.
     */
    private static String errorType(HttpResponse<String> response) {
        String type = jsonObject(response.body())
                .map(answer -> answer.get("__type"))
                .filter(String.class::isInstance)
                .map(String.class::cast)
                .or(() -> response.headers().firstValue("x-amzn-ErrorType"))
                .orElse("");
        type = type.substring(type.lastIndexOf('#') + 1);
        type = type.contains(":") ? type.substring(0, type.indexOf(':')) : type;
        return ERROR_TYPE.matcher(type).matches() ? type : "(no AWS error type)";
    }

    /** The answer as a JSON object, or empty when it is not one. */
    private static Optional<Map<String, Object>> jsonObject(String answer) {
        return Json.parseObject(answer);
    }

    private static Optional<String> required(Map<String, String> env, String name, List<String> problems) {
        Optional<String> value = Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank());
        if (value.isEmpty()) {
            problems.add(name + " is not set");
        }
        return value;
    }

    private static boolean isSet(Map<String, String> env, String name) {
        String value = env.get(name);
        return value != null && !value.isBlank();
    }

    /** {@code scheme://authority/} of an endpoint that has no path beyond {@code /}. */
    private static URI rootOf(URI endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        boolean http = "http".equalsIgnoreCase(endpoint.getScheme()) || "https".equalsIgnoreCase(endpoint.getScheme());
        boolean rootPath = endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() || endpoint.getRawPath().equals("/");
        if (!http || endpoint.getHost() == null || endpoint.getRawUserInfo() != null || !rootPath
                || endpoint.getRawQuery() != null || endpoint.getRawFragment() != null) {
            throw new IllegalArgumentException("endpoint must be http(s)://host[:port] with no path, not " + endpoint);
        }
        return endpoint.resolve("/");
    }
}
