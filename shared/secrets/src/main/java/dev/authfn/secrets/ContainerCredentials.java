package dev.authfn.secrets;

import dev.authfn.core.json.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Credentials from a container credentials endpoint, as Lambda gives them to a SnapStart function
 * instead of {@code AWS_ACCESS_KEY_ID}: a GET to {@code AWS_CONTAINER_CREDENTIALS_FULL_URI} with
 * {@code AWS_CONTAINER_AUTHORIZATION_TOKEN} (or the contents of
 * {@code AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE}) as its {@code Authorization} header, answered with
 * {@code {"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}}. This is what the AWS SDK's
 * {@code ContainerCredentialsProvider} does, without the SDK.
 *
 * <p>Nothing is fetched when this is built, so no credentials end up in a SnapStart snapshot
 * unless something resolves them during INIT. The first {@link #resolve()} fetches them; later
 * calls return them from memory until {@link #REFRESH_BEFORE_EXPIRATION} before their
 * {@code Expiration}, by the injected clock, and then fetch new ones. One fetch runs at a time;
 * concurrent callers wait for it. Nothing is retried: a failed fetch is a
 * {@link SecretUnavailableException} and the next call tries again.
 *
 * <p>Over plain http the endpoint must be a loopback address or one of the container credentials
 * addresses, as the SDK requires; an https endpoint may be anywhere. Host names other than
 * {@code localhost} are refused over http rather than looked up, so the check needs no DNS and a
 * name cannot resolve to another address later. The token file is read on every fetch, since it
 * may be rotated.
 */
public final class ContainerCredentials implements CredentialsProvider {

    /** How long to wait for a connection to the endpoint. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    /** How long to wait for the answer once the request is sent. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
    /** Credentials this close to their {@code Expiration} are fetched again. */
    public static final Duration REFRESH_BEFORE_EXPIRATION = Duration.ofMinutes(5);

    static final String FULL_URI = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
    static final String AUTHORIZATION_TOKEN = "AWS_CONTAINER_AUTHORIZATION_TOKEN";
    static final String AUTHORIZATION_TOKEN_FILE = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE";

    private static final Pattern IPV4_LITERAL = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    /** The ECS task credentials address and the EKS Pod Identity addresses, which the SDK also allows over http. */
    private static final Set<InetAddress> CONTAINER_HOSTS = Set.of(
            ipv4(169, 254, 170, 2), ipv4(169, 254, 170, 23), ipv6Literal("[fd00:ec2::23]"));

    private final URI endpoint;
    private final AuthorizationToken authorizationToken;
    private final Clock clock;
    private final HttpClient httpClient;
    private final ReentrantLock fetchLock = new ReentrantLock();
    private volatile Fetched fetched;

    /** Credentials as fetched, with the instant the endpoint said they expire. */
    private record Fetched(Credentials credentials, Instant expiration) {}

    /** Where the {@code Authorization} header's value comes from; empty sends no header. */
    @FunctionalInterface
    private interface AuthorizationToken {
        Optional<String> read();
    }

    private ContainerCredentials(URI endpoint, AuthorizationToken authorizationToken, Clock clock) {
        this.endpoint = endpoint;
        this.authorizationToken = authorizationToken;
        this.clock = Objects.requireNonNull(clock, "clock");
        // No proxy and no redirects: the token goes to the endpoint named and nowhere else.
        this.httpClient = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY)
                .build();
    }

    /**
     * Container credentials as the environment describes them: the endpoint from
     * {@code AWS_CONTAINER_CREDENTIALS_FULL_URI}; the token from
     * {@code AWS_CONTAINER_AUTHORIZATION_TOKEN} or, when that is not set, from the file
     * {@code AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE} names (the SDK's order); no
     * {@code Authorization} header when neither is set. Fetches nothing.
     *
     * @throws IllegalArgumentException if the endpoint is missing, malformed or not allowed, or the
     *     token is not a valid header value; the message never holds the token or a query string
     */
    public static ContainerCredentials fromEnvironment(Map<String, String> env, Clock clock) {
        String fullUri = env.get(FULL_URI);
        if (fullUri == null || fullUri.isBlank()) {
            throw new IllegalArgumentException(FULL_URI + " is not set");
        }
        URI endpoint = allowedEndpoint(fullUri);
        Optional<String> token = Optional.ofNullable(env.get(AUTHORIZATION_TOKEN)).filter(t -> !t.isBlank());
        Optional<String> tokenFile = Optional.ofNullable(env.get(AUTHORIZATION_TOKEN_FILE)).filter(f -> !f.isBlank());
        AuthorizationToken authorization;
        if (token.isPresent()) {
            String value = headerValue(token.get())
                    .orElseThrow(() -> new IllegalArgumentException(AUTHORIZATION_TOKEN + " holds a control character"));
            authorization = () -> Optional.of(value);
        } else if (tokenFile.isPresent()) {
            Path file = Path.of(tokenFile.get());
            authorization = () -> Optional.of(readToken(file, endpoint));
        } else {
            authorization = Optional::empty;
        }
        return new ContainerCredentials(endpoint, authorization, clock);
    }

    /**
     * The credentials fetched last, or new ones when there are none yet or those are within
     * {@link #REFRESH_BEFORE_EXPIRATION} of their expiration.
     *
     * @throws SecretUnavailableException if the endpoint cannot be reached within the timeouts,
     *     answers with an error, or its answer is not credentials that are still valid
     */
    @Override
    public Credentials resolve() {
        Fetched current = fetched;
        if (current != null && fresh(current)) {
            return current.credentials();
        }
        fetchLock.lock();
        try {
            current = fetched;
            if (current == null || !fresh(current)) {
                current = fetch();
                fetched = current;
            }
            return current.credentials();
        } finally {
            fetchLock.unlock();
        }
    }

    @Override
    public String toString() {
        return "ContainerCredentials[endpoint=" + describe(endpoint) + "]";
    }

    private boolean fresh(Fetched credentials) {
        return clock.instant().isBefore(credentials.expiration().minus(REFRESH_BEFORE_EXPIRATION));
    }

    private Fetched fetch() {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json")
                .GET();
        authorizationToken.read().ifPresent(token -> request.header("Authorization", token));

        HttpResponse<String> response;
        try {
            response = httpClient.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw failure(endpoint, "I/O error (" + e.getClass().getSimpleName() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(endpoint, "interrupted", e);
        }
        if (response.statusCode() / 100 != 2) {
            // The body is left out: an error answer may echo the request, token included.
            throw failure(endpoint, "HTTP " + response.statusCode(), null);
        }
        return credentialsIn(response.body());
    }

    /** The credentials in a 2xx answer; failures name missing fields, never a value. */
    private Fetched credentialsIn(String body) {
        // No cause: a parser's message may quote the answer, keys included.
        Map<String, Object> answer = Json.parseObject(body)
                .orElseThrow(() -> failure(endpoint, "the answer is not a JSON object", null));
        List<String> missing = new ArrayList<>();
        Optional<String> accessKeyId = text(answer, "AccessKeyId", missing);
        Optional<String> secretAccessKey = text(answer, "SecretAccessKey", missing);
        Optional<String> sessionToken = text(answer, "Token", missing);
        Optional<String> expirationText = text(answer, "Expiration", missing);
        if (!missing.isEmpty()) {
            throw failure(endpoint, "the answer has no " + String.join(", ", missing), null);
        }
        Instant expiration;
        try {
            expiration = Instant.parse(expirationText.orElseThrow());
        } catch (DateTimeParseException e) {
            throw failure(endpoint, "the answer's Expiration is not an ISO-8601 instant", null);
        }
        if (!expiration.isAfter(clock.instant())) {
            throw failure(endpoint, "the credentials in the answer expired at " + expiration, null);
        }
        Credentials credentials = new Credentials(accessKeyId.orElseThrow(), secretAccessKey.orElseThrow(), sessionToken);
        return new Fetched(credentials, expiration);
    }

    /** A non-blank string field, else its name added to {@code missing}. */
    private static Optional<String> text(Map<String, Object> answer, String name, List<String> missing) {
        Optional<String> value = Optional.ofNullable(answer.get(name))
                .filter(String.class::isInstance)
                .map(String.class::cast)
                .filter(v -> !v.isBlank());
        if (value.isEmpty()) {
            missing.add(name);
        }
        return value;
    }

    private static String readToken(Path file, URI endpoint) {
        String contents;
        try {
            contents = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw failure(endpoint, "cannot read " + AUTHORIZATION_TOKEN_FILE + " " + file
                    + " (" + e.getClass().getSimpleName() + ")", e);
        }
        return headerValue(contents).orElseThrow(() -> failure(endpoint,
                AUTHORIZATION_TOKEN_FILE + " " + file + " is empty or holds a control character", null));
    }

    /** The token without surrounding white space (a file often ends in a newline), if it can be a header value. */
    private static Optional<String> headerValue(String token) {
        String value = token.strip();
        boolean control = value.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
        return value.isEmpty() || control ? Optional.empty() : Optional.of(value);
    }

    private static SecretUnavailableException failure(URI endpoint, String reason, Throwable cause) {
        return new SecretUnavailableException(
                "Fetching container credentials from " + describe(endpoint) + " failed: " + reason, cause);
    }

    /**
     * The endpoint if it may receive the token: any https URL, or an http URL to a loopback
     * address or a container credentials address.
     */
    private static URI allowedEndpoint(String fullUri) {
        String notHttp = FULL_URI + " must be an http(s) URL with a host";
        URI uri;
        try {
            uri = new URI(fullUri);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(notHttp);
        }
        String scheme = Optional.ofNullable(uri.getScheme()).orElse("");
        if (uri.getHost() == null || !(scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("http"))) {
            throw new IllegalArgumentException(notHttp);
        }
        if (scheme.equalsIgnoreCase("http") && !allowedOverHttp(uri.getHost())) {
            throw new IllegalArgumentException(FULL_URI + " must be https, or http to a loopback address "
                    + "(127.0.0.0/8, ::1, localhost) or a container credentials address "
                    + "(169.254.170.2, 169.254.170.23, fd00:ec2::23), not " + describe(uri));
        }
        return uri;
    }

    private static boolean allowedOverHttp(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            try {
                InetAddress[] addresses = InetAddress.getAllByName(host);
                return addresses.length > 0 && Arrays.stream(addresses).allMatch(InetAddress::isLoopbackAddress);
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return ipLiteral(host).filter(address -> address.isLoopbackAddress() || CONTAINER_HOSTS.contains(address)).isPresent();
    }

    /** The address a host names when it is an IP literal; empty for a name, which is not looked up. */
    private static Optional<InetAddress> ipLiteral(String host) {
        Matcher ipv4 = IPV4_LITERAL.matcher(host);
        if (ipv4.matches()) {
            int[] octets = new int[4];
            for (int i = 0; i < 4; i++) {
                octets[i] = Integer.parseInt(ipv4.group(i + 1));
                if (octets[i] > 255) {
                    return Optional.empty();
                }
            }
            return Optional.of(ipv4(octets[0], octets[1], octets[2], octets[3]));
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            try {
                return Optional.of(ipv6Literal(host));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static InetAddress ipv4(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A bracketed IPv6 literal; the JDK parses it without a lookup. */
    private static InetAddress ipv6Literal(String bracketed) {
        try {
            return InetAddress.getByName(bracketed);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv6 literal", e);
        }
    }

    /** {@code scheme://host[:port]/path}: what a message may show of an endpoint (no user info, no query). */
    private static String describe(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort())
                + Optional.ofNullable(uri.getRawPath()).orElse("");
    }
}
