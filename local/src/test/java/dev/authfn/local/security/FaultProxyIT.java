package dev.authfn.local.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.keys.KeySet;
import dev.authfn.dynamodb.DynamoDbClients;
import dev.authfn.dynamodb.internal.UserItems;
import dev.authfn.emulator.MotoServer;
import dev.authfn.local.testing.Http;
import dev.authfn.local.testing.Login;
import dev.authfn.testkit.faults.FaultProxy;
import dev.authfn.testkit.faults.FaultProxy.Fault;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SECURITY.md "Attacks and bad inputs", Faults: DynamoDB misbehaves rather than going away. A
 * {@link FaultProxy} sits between the functions and a moto server this test owns; the test seeds
 * and reads the tables straight at moto. For each fault the authorizer denies and login answers
 * 503 within the DynamoDB client's time budget, nothing is half-written, and once the proxy passes
 * traffic again everything works without a restart.
 */
class FaultProxyIT {

    /**
     * The most one DynamoDB call may take: the SDK's whole-call timeout, all attempts and back-off
     * included ({@link DynamoDbClients#API_CALL_TIMEOUT}), plus the local API's own work on a shared
     * two-core machine. Each request below fails at its first DynamoDB call, so this is its bound.
     */
    private static final Duration BUDGET = DynamoDbClients.API_CALL_TIMEOUT.plus(Duration.ofSeconds(2));
    /** Latency beyond the client's timeouts: no attempt can see an answer within its socket timeout. */
    private static final Duration BEYOND_THE_TIMEOUTS = DynamoDbClients.API_CALL_TIMEOUT.plus(Duration.ofSeconds(1));

    private static MotoServer moto;
    private static FaultProxy proxy;
    private static SecurityApi sut;
    private static Http http;

    @BeforeAll
    static void start() throws Exception {
        Path motoExecutable = MotoServer.findOnPath(System.getenv("PATH"))
                .orElseThrow(() -> new IllegalStateException("FaultProxyIT needs moto_server on the PATH"));
        moto = MotoServer.start(motoExecutable);
        proxy = FaultProxy.start(moto.endpoint());
        sut = SecurityApi.startOnOwnMoto(FaultProxyIT.class, proxy.uri(), moto.endpoint(), KeySet.generate(Clock.systemUTC()));
        http = sut.http();
        sut.addUser("alice", Set.of("user"), Set.of("posts:create"));
        sut.addUser("bob", Set.of("user"), Set.of("posts:create"));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (sut != null) {
                sut.close();
            }
        } finally {
            try {
                if (proxy != null) {
                    proxy.close();
                }
            } finally {
                if (moto != null) {
                    moto.close();
                }
            }
        }
    }

    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of("connection reset", Fault.reset()),
                Arguments.of("latency beyond the timeouts", Fault.latency(BEYOND_THE_TIMEOUTS)),
                Arguments.of("half-open", Fault.halfOpen()),
                Arguments.of("throttling", Fault.dynamoDbThrottling()),
                Arguments.of("provisioned throughput exceeded", Fault.dynamoDbProvisionedThroughputExceeded()));
    }

    @AfterEach
    void passAgain() {
        proxy.set(Fault.pass());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void deniesAndAnswers503WithinTheBudgetWritesNothingAndRecoversWithoutARestart(
            String name, Fault fault) {
        Login before = sut.login("alice");
        assertThat(before.withCookie(http.get("/protected")).send().status()).isEqualTo(200);
        Set<String> sessionsBefore = sut.sessionIds();
        Map<String, ?> aliceBefore = sut.userItem("alice");
        int logStart = sut.logLines().size();
        int errorAnswersBefore = proxy.errorAnswers();

        proxy.set(fault);

        // The authorizer fails closed, within the client's budget.
        Expect.deniedByTheAuthorizer(timed(() -> before.withCookie(http.get("/protected")).send()));
        // Login (the right password) answers 503 problem+json, sets no cookie, within the budget.
        Http.Response login = timed(() -> http.post("/auth/login")
                .json(Map.of("username", "alice", "password", SecurityApi.PASSWORD)).send());
        Expect.problem(login, 503, "store-unavailable");
        assertThat(login.setCookieHeaders()).isEmpty();
        assertThat(login.body()).doesNotContain("Exception", "amazonaws", "127.0.0.1");

        List<String> log = sut.logLines().subList(logStart, sut.logLines().size());
        assertThat(log).anyMatch(line -> line.contains("\"event\":\"authorize\",\"outcome\":\"deny\",\"reason\":\"STORE_UNAVAILABLE\""));
        assertThat(log).anyMatch(line -> line.contains("\"event\":\"login\",\"outcome\":\"error\",\"reason\":\"STORE_UNAVAILABLE\""));
        if (fault instanceof Fault.ErrorAnswer) {
            // Each of the two requests made one DynamoDB call, which the SDK tried MAX_ATTEMPTS
            // times before DynamoDbCalls mapped the throttling to StoreUnavailableException.
            assertThat(proxy.errorAnswers() - errorAnswersBefore).isEqualTo(2 * DynamoDbClients.MAX_ATTEMPTS);
        }

        // Nothing half-written: the login's first call (the user read) failed, so no reservation
        // was counted (docs/API.md §2.3: only a reservation written before the failure stays
        // counted) and no session exists; the user item is exactly as it was.
        assertThat(sut.sessionIds()).isEqualTo(sessionsBefore);
        assertThat(sut.userItem("alice")).isEqualTo(aliceBefore);
        assertThat(sut.failedLogins("alice")).isZero();
        assertThat(sut.userItem("alice").get(UserItems.LOCKED_UNTIL).n()).isEqualTo("0");

        proxy.set(Fault.pass());

        // Back without a restart: the session from before the fault and a new login both work.
        assertThat(before.withCookie(http.get("/protected")).send().status()).isEqualTo(200);
        Login after = sut.login("alice");
        assertThat(after.withCookie(http.get("/protected")).send().status()).isEqualTo(200);
        assertThat(after.withBearer(http.get("/protected")).send().status()).isEqualTo(200);
        assertThat(after.withCookieAndCsrf(http.post("/posts")).send().status()).isEqualTo(201);
        assertThat(sut.sessionItem(after.sessionId())).isPresent();
    }

    @Test
    void aStoreFailureAfterTheReservationKeepsItCountedAndStartsNoSession() {
        Set<String> sessionsBefore = sut.sessionIds();
        assertThat(sut.failedLogins("bob")).isZero();
        int errorAnswersBefore = proxy.errorAnswers();

        // A login's DynamoDB calls: the user read, the attempt's reservation, then (right password)
        // giving the reservation back, the session's put and its registration. Throttled from the
        // third on, the reservation has landed and nothing after it.
        proxy.set(Fault.afterRequests(2, Fault.dynamoDbThrottling()));
        Http.Response login = timed(() -> http.post("/auth/login")
                .json(Map.of("username", "bob", "password", SecurityApi.PASSWORD)).send());

        Expect.problem(login, 503, "store-unavailable");
        assertThat(login.setCookieHeaders()).isEmpty();
        assertThat(proxy.errorAnswers() - errorAnswersBefore).isEqualTo(DynamoDbClients.MAX_ATTEMPTS);
        // docs/API.md §2.3: a reservation written before the store failure stays counted (the
        // lockout fails closed); the session, written last, does not exist.
        assertThat(sut.failedLogins("bob")).isEqualTo(1);
        assertThat(sut.sessionIds()).isEqualTo(sessionsBefore);
        assertThat(sut.userItem("bob")).doesNotContainKey(UserItems.SESSIONS);

        proxy.set(Fault.pass());

        Login after = sut.login("bob");
        assertThat(after.withCookie(http.get("/protected")).send().status()).isEqualTo(200);
        assertThat(sut.failedLogins("bob")).as("a success gives the reservation back").isZero();
    }

    /** Sends the request and asserts that the answer came within {@link #BUDGET}. */
    private static Http.Response timed(Supplier<Http.Response> request) {
        long start = System.nanoTime();
        Http.Response response = request.get();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.println("authfn faults: answered " + response.status() + " after " + took.toMillis() + " ms");
        assertThat(took).as("answer time").isLessThanOrEqualTo(BUDGET);
        return response;
    }
}
