package dev.authfn.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.local.testing.Http;
import dev.authfn.local.testing.Login;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.authfn.testkit.dynamodb.DynamoDbTestEndpoint;
import dev.authfn.testkit.dynamodb.DynamoDbEndpointExtension;

/**
 * The local API under parallel load, end to end: 50 logins at once (Argon2id each, so CPU-bound),
 * then 500 authorized requests from 16 threads, bearer and cookie, reads and CSRF-protected writes.
 * Every answer must be the right 200 or 201; latencies are printed, not asserted, beyond a generous
 * bound on the whole (this runs on small CI machines next to other builds).
 */
@ExtendWith(DynamoDbEndpointExtension.class)
class LoadIT {

    private static final String PASSWORD = "load-test-password";
    private static final int USERS = 5;
    private static final int LOGINS = 50;
    private static final int REQUESTS = 500;
    private static final int REQUEST_THREADS = 16;
    private static final Duration PHASE_BOUND = Duration.ofSeconds(120);
    private static final Pattern ACCESS_LINE = Pattern.compile("^(GET|POST|DELETE|PUT|PATCH) \\S+ (\\d{1,3}) \\d+ms$");

    private static E2eApi e2e;
    private static Http http;

    @BeforeAll
    static void startTheApi(DynamoDbTestEndpoint dynamodb) throws Exception {
        e2e = E2eApi.start(LoadIT.class, dynamodb);
        http = new Http(e2e.api().baseUri());
        for (int i = 0; i < USERS; i++) {
            e2e.addUser("load-" + i, PASSWORD, Set.of("user"), Set.of("posts:create"));
        }
    }

    @AfterAll
    static void stopTheApi() {
        if (e2e != null) {
            e2e.close();
        }
    }

    /** The authorized requests of the second phase, taken in turn. */
    private enum Kind {
        GET_WITH_BEARER(200),
        GET_WITH_COOKIE(200),
        POST_WITH_BEARER(201),
        POST_WITH_COOKIE_AND_CSRF(201);

        final int expectedStatus;

        Kind(int expectedStatus) {
            this.expectedStatus = expectedStatus;
        }

        Http.Response send(Login login) {
            return switch (this) {
                case GET_WITH_BEARER -> login.withBearer(http.get("/protected")).send();
                case GET_WITH_COOKIE -> login.withCookie(http.get("/protected")).send();
                case POST_WITH_BEARER -> login.withBearer(http.post("/posts")).send();
                case POST_WITH_COOKIE_AND_CSRF -> login.withCookieAndCsrf(http.post("/posts")).send();
            };
        }
    }

    private record Result(Kind kind, Login login, Http.Response response) {
    }

    @Test
    void answersFiftyParallelLoginsAndFiveHundredMixedAuthorizedRequestsWithoutAnError() throws Exception {
        // Phase 1: 50 logins released at once, 10 per user.
        List<Callable<Http.Response>> loginCalls = new ArrayList<>();
        for (int i = 0; i < LOGINS; i++) {
            String username = "load-" + (i % USERS);
            String userAgent = "e2e-load-" + i;
            loginCalls.add(() -> http.post("/auth/login").header("User-Agent", userAgent)
                    .json(Map.of("username", username, "password", PASSWORD)).send());
        }
        Timed<Http.Response> loginPhase = runAll(loginCalls, LOGINS);

        assertThat(loginPhase.results()).extracting(Http.Response::status)
                .as("login statuses").containsOnly(200);
        List<Login> logins = loginPhase.results().stream().map(Login::from).toList();
        assertThat(logins).extracting(Login::sessionId).as("one new session per login").doesNotHaveDuplicates();
        report("logins", LOGINS + " parallel", loginPhase.wall(),
                loginPhase.results().stream().map(Http.Response::elapsed).toList());

        // Phase 2: 500 authorized requests from 16 threads, the four kinds in turn over all sessions.
        List<Callable<Result>> requestCalls = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            Kind kind = Kind.values()[i % Kind.values().length];
            Login login = logins.get(i % logins.size());
            requestCalls.add(() -> new Result(kind, login, kind.send(login)));
        }
        Timed<Result> requestPhase = runAll(requestCalls, REQUEST_THREADS);

        for (Result result : requestPhase.results()) {
            Http.Response response = result.response();
            assertThat(response.status()).as("%s with %s: %s", result.kind(), result.login(), response)
                    .isEqualTo(result.kind().expectedStatus);
            Map<String, Object> body = response.json();
            switch (result.kind()) {
                case GET_WITH_BEARER -> assertThat(body).containsEntry("auth_type", "bearer")
                        .containsEntry("session_id", result.login().sessionId());
                case GET_WITH_COOKIE -> assertThat(body).containsEntry("auth_type", "cookie")
                        .containsEntry("session_id", result.login().sessionId());
                default -> assertThat(body).containsEntry("message", "Post created.");
            }
        }
        report("authorized requests", REQUESTS + " from " + REQUEST_THREADS + " threads", requestPhase.wall(),
                requestPhase.results().stream().map(r -> r.response().elapsed()).toList());
        requestPhase.results().stream().collect(Collectors.groupingBy(Result::kind)).entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(entry -> report("  " + entry.getKey(), entry.getValue().size() + " requests", null,
                        entry.getValue().stream().map(r -> r.response().elapsed()).toList()));

        assertTheApiLoggedNoFailure();
    }

    /** No handler failure in the API's log, and no 5xx among its access lines. */
    private static void assertTheApiLoggedNoFailure() throws Exception {
        List<String> lines = Files.readAllLines(e2e.logFile(), StandardCharsets.UTF_8);
        assertThat(lines).as("failures in " + e2e.logFile()).noneMatch(line -> line.startsWith("authfn-local:"));
        List<Integer> statuses = new ArrayList<>();
        for (String line : lines) {
            Matcher access = ACCESS_LINE.matcher(line);
            if (access.matches()) {
                statuses.add(Integer.parseInt(access.group(2)));
            }
        }
        assertThat(statuses).as("access lines in " + e2e.logFile()).hasSizeGreaterThanOrEqualTo(LOGINS + REQUESTS)
                .allMatch(status -> status < 500);
    }

    private record Timed<T>(List<T> results, Duration wall) {
    }

    /**
     * Runs every call on {@code threads} threads, released together, and waits for all of them
     * within {@link #PHASE_BOUND}; a call that throws fails the test with its cause.
     */
    private static <T> Timed<T> runAll(List<Callable<T>> calls, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> call : calls) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            long started = System.nanoTime();
            long deadline = started + PHASE_BOUND.toNanos();
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                try {
                    results.add(future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
                } catch (TimeoutException e) {
                    throw new AssertionError("not all " + calls.size() + " calls finished within " + PHASE_BOUND
                            + " (" + results.size() + " did)", e);
                } catch (ExecutionException e) {
                    throw new AssertionError("a call failed: " + e.getCause(), e.getCause());
                }
            }
            return new Timed<>(List.copyOf(results), Duration.ofNanos(System.nanoTime() - started));
        } finally {
            pool.shutdownNow();
        }
    }

    private static void report(String what, String how, Duration wall, List<Duration> latencies) {
        List<Duration> sorted = latencies.stream().sorted(Comparator.naturalOrder()).toList();
        System.out.printf("authfn e2e load: %-28s %-26s p50 %5d ms  p95 %5d ms  max %5d ms%s%n", what, how,
                percentile(sorted, 50).toMillis(), percentile(sorted, 95).toMillis(),
                sorted.get(sorted.size() - 1).toMillis(),
                wall == null ? "" : String.format("  (all in %.1f s)", wall.toMillis() / 1000.0));
    }

    /** Nearest-rank percentile of a sorted, non-empty list. */
    private static Duration percentile(List<Duration> sorted, int percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
