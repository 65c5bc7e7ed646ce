package dev.authfn.bench.localapi;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SimpleIAMPolicyResponse;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.authfn.auth.Components;
import dev.authfn.core.config.AuthfnConfig;
import dev.authfn.functions.authorizer.AuthorizerHandler;
import dev.authfn.functions.protectedapi.ProtectedHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The load side of bench/localapi.sh, a second process beside {@code ./authfn start-api}.
 *
 * <ol>
 *   <li>Logs in over HTTP and takes the access token.</li>
 *   <li>Builds the same two handlers the local API hosts for {@code GET /protected}, in this
 *       process, from the same environment (key set, tables, moto endpoint, stateless bearer
 *       tokens; issuer and audience as the local API set them, read from the token).</li>
 *   <li><b>Added latency:</b> {@code ROUNDS} times, one direct call (authorizer, then the
 *       protected function with the authorizer's context, as API Gateway chains them) and one
 *       {@code GET /protected} through the local API on a keep-alive connection
 *       ({@link KeepAliveClient}), alternately; the medians and their difference.</li>
 *   <li><b>Throughput:</b> {@code THREADS} threads for {@code SECONDS}, first calling the handlers
 *       directly, then each sending requests to the local API over its own keep-alive connection;
 *       requests per second of each and their ratio, with the HTTP latency percentiles under that
 *       load.</li>
 * </ol>
 *
 * Usage: {@code LocalApiLoad BASE_URL KEYS_FILE DYNAMODB_ENDPOINT USERS_TABLE SESSIONS_TABLE USERNAME PASSWORD}
 */
public final class LocalApiLoad {

    private static final int WARMUP = Integer.getInteger("warmup", 2_000);
    private static final int ROUNDS = Integer.getInteger("rounds", 5_000);
    private static final int THREADS = Integer.getInteger("threads", 8);
    private static final int SECONDS = Integer.getInteger("seconds", 10);

    /** The first failed call of any load, for the report: a run with errors measures nothing. */
    private static final AtomicReference<String> FIRST_ERROR = new AtomicReference<>();

    private LocalApiLoad() {
    }

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        String token = login(http, base, args[5], args[6]);
        JWTClaimsSet unverified = SignedJWT.parse(token).getJWTClaimsSet();

        Map<String, String> environment = new HashMap<>();
        environment.put("AUTHFN_KEYS", Files.readString(Path.of(args[1])));
        environment.put("AUTHFN_ISSUER", unverified.getIssuer());
        environment.put("AUTHFN_AUDIENCE", unverified.getAudience().get(0));
        environment.put("AUTHFN_DYNAMODB_ENDPOINT", args[2]);
        environment.put("AUTHFN_USERS_TABLE", args[3]);
        environment.put("AUTHFN_SESSIONS_TABLE", args[4]);
        environment.put("AUTHFN_STATELESS_BEARER", "true");
        environment.put("AWS_REGION", "us-east-1");
        environment.put("AWS_ACCESS_KEY_ID", "test");
        environment.put("AWS_SECRET_ACCESS_KEY", "test");
        Direct direct = new Direct(new AuthorizerHandler(Components.fromEnvironment(environment)), new ProtectedHandler(AuthfnConfig.fromEnvironment(environment, java.util.EnumSet.noneOf(AuthfnConfig.Requirement.class))), token);
        KeepAliveClient client = new KeepAliveClient(base.getHost(), base.getPort(), "/protected", "Bearer " + token);

        for (int i = 0; i < WARMUP; i++) {
            direct.call();
            send(client);
        }
        long[] directNs = new long[ROUNDS];
        long[] httpNs = new long[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            long start = System.nanoTime();
            direct.call();
            long between = System.nanoTime();
            send(client);
            long end = System.nanoTime();
            directNs[i] = between - start;
            httpNs[i] = end - between;
        }
        double directP50 = percentile(directNs, 50) / 1e3;
        double httpP50 = percentile(httpNs, 50) / 1e3;
        System.out.printf(Locale.ROOT, "latency direct_p50_us=%.1f http_p50_us=%.1f added_p50_us=%.1f http_p99_us=%.1f"
                + " ratio=%.2f rounds=%d%n", directP50, httpP50, httpP50 - directP50, percentile(httpNs, 99) / 1e3,
                httpP50 / directP50, ROUNDS);

        client.close();
        Load directLoad = load(() -> direct::call);
        Load httpLoad = load(() -> {
            KeepAliveClient connection = new KeepAliveClient(base.getHost(), base.getPort(), "/protected", "Bearer " + token);
            return () -> send(connection);
        });
        System.out.printf(Locale.ROOT, "throughput threads=%d seconds=%d direct_rps=%.0f http_rps=%.0f ratio=%.3f"
                + " http_p50_us=%.1f http_p99_us=%.1f http_errors=%d%n", THREADS, SECONDS, directLoad.perSecond(),
                httpLoad.perSecond(), httpLoad.perSecond() / directLoad.perSecond(), httpLoad.p50Us(), httpLoad.p99Us(),
                httpLoad.errors());
        if (directLoad.errors() + httpLoad.errors() > 0) {
            System.err.println("LocalApiLoad: " + directLoad.errors() + " direct and " + httpLoad.errors()
                    + " HTTP calls failed, the first with " + FIRST_ERROR.get() + "; the figures above do not count");
            System.exit(1);
        }
    }

    /** The two handlers API Gateway would chain for {@code GET /protected}, called in this process. */
    private record Direct(AuthorizerHandler authorizer, ProtectedHandler function, String token) {

        void call() {
            SimpleIAMPolicyResponse decision = authorizer.handleRequest(authorizerEvent(token), null);
            if (!decision.getIsAuthorized()) {
                throw new IllegalStateException("the direct authorizer call was denied");
            }
            APIGatewayV2HTTPResponse response = function.handleRequest(httpEvent(new HashMap<>(decision.getContext())), null);
            if (response.getStatusCode() != 200) {
                throw new IllegalStateException("the direct call answered " + response.getStatusCode());
            }
        }
    }

    private interface Call {
        void run() throws Exception;
    }

    /** Makes each load thread's call (its own connection, for HTTP). */
    private interface CallFactory {
        Call make() throws Exception;
    }

    private record Load(double perSecond, double p50Us, double p99Us, long errors) {
    }

    private static Load load(CallFactory calls) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<long[]>> workers = new ArrayList<>();
            long start = System.nanoTime();
            for (int t = 0; t < THREADS; t++) {
                workers.add(pool.submit(() -> {
                    Call call = calls.make();
                    long[] times = new long[1 << 20];
                    int count = 0;
                    long errors = 0;
                    while (!stop.get()) {
                        long begin = System.nanoTime();
                        try {
                            call.run();
                        } catch (Exception e) {
                            errors++;
                            FIRST_ERROR.compareAndSet(null, e.getClass().getName() + ": " + e.getMessage());
                            continue;
                        }
                        if (count < times.length) {
                            times[count] = System.nanoTime() - begin;
                        }
                        count++;
                    }
                    long[] result = Arrays.copyOf(times, Math.min(count, times.length) + 2);
                    result[result.length - 2] = count;
                    result[result.length - 1] = errors;
                    return result;
                }));
            }
            Thread.sleep(SECONDS * 1000L);
            stop.set(true);
            long elapsed = System.nanoTime() - start;
            long total = 0;
            long errors = 0;
            List<Long> samples = new ArrayList<>();
            for (Future<long[]> worker : workers) {
                long[] result = worker.get();
                total += result[result.length - 2];
                errors += result[result.length - 1];
                for (int i = 0; i < result.length - 2; i++) {
                    samples.add(result[i]);
                }
            }
            long[] all = samples.stream().mapToLong(Long::longValue).toArray();
            return new Load(total / (elapsed / 1e9), percentile(all, 50) / 1e3, percentile(all, 99) / 1e3, errors);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void send(KeepAliveClient client) throws Exception {
        int status = client.get();
        if (status != 200) {
            throw new IllegalStateException("GET /protected answered " + status);
        }
    }

    private static String login(HttpClient http, URI base, String username, String password) throws Exception {
        String body = JSONObjectUtils.toJSONString(Map.of("username", username, "password", password));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/auth/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("login answered " + response.statusCode() + ": " + response.body());
        }
        return JSONObjectUtils.getString(JSONObjectUtils.parse(response.body()), "access_token");
    }

    private static long percentile(long[] values, int percentile) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, sorted.length * percentile / 100)];
    }

    private static APIGatewayV2CustomAuthorizerEvent authorizerEvent(String token) {
        APIGatewayV2CustomAuthorizerEvent.Http http = new APIGatewayV2CustomAuthorizerEvent.Http();
        http.setMethod("GET");
        http.setPath("/protected");
        http.setProtocol("HTTP/1.1");
        http.setSourceIp("127.0.0.1");
        APIGatewayV2CustomAuthorizerEvent.RequestContext context = new APIGatewayV2CustomAuthorizerEvent.RequestContext();
        context.setHttp(http);
        context.setRouteKey("GET /protected");
        context.setStage("$default");
        APIGatewayV2CustomAuthorizerEvent event = new APIGatewayV2CustomAuthorizerEvent();
        event.setVersion("2.0");
        event.setType("REQUEST");
        event.setRouteKey("GET /protected");
        event.setRawPath("/protected");
        event.setRawQueryString("");
        event.setHeaders(Map.of("authorization", "Bearer " + token, "host", "127.0.0.1"));
        event.setIdentitySource(List.of("Bearer " + token));
        event.setRequestContext(context);
        return event;
    }

    private static APIGatewayV2HTTPEvent httpEvent(Map<String, Object> authorizerContext) {
        APIGatewayV2HTTPEvent.RequestContext.Http http = new APIGatewayV2HTTPEvent.RequestContext.Http();
        http.setMethod("GET");
        http.setPath("/protected");
        http.setProtocol("HTTP/1.1");
        http.setSourceIp("127.0.0.1");
        APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer = new APIGatewayV2HTTPEvent.RequestContext.Authorizer();
        authorizer.setLambda(authorizerContext);
        APIGatewayV2HTTPEvent.RequestContext context = new APIGatewayV2HTTPEvent.RequestContext();
        context.setHttp(http);
        context.setRouteKey("GET /protected");
        context.setStage("$default");
        context.setAuthorizer(authorizer);
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setVersion("2.0");
        event.setRouteKey("GET /protected");
        event.setRawPath("/protected");
        event.setRawQueryString("");
        event.setHeaders(Map.of("host", "127.0.0.1"));
        event.setRequestContext(context);
        return event;
    }
}
