package dev.authfn.local.security;

import static dev.authfn.local.security.SecurityApi.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.password.Argon2idHasher;
import dev.authfn.dynamodb.internal.UserItems;
import dev.authfn.local.testing.Http;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.authfn.testkit.dynamodb.DynamoDbTestEndpoint;
import dev.authfn.testkit.dynamodb.DynamoDbEndpointExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * SECURITY.md "Attacks and bad inputs", Login, over real HTTP against the local API. Every refusal
 * is checked for its exact answer and for what it must not have written: no session item, and
 * (where the attempt must not count) no change to the account's failed-login counter.
 */
@ExtendWith(DynamoDbEndpointExtension.class)
class LoginAttacksIT {

    private static SecurityApi sut;
    private static Http http;
    private static int usersAtStart;

    @BeforeAll
    static void start(DynamoDbTestEndpoint dynamodb) throws Exception {
        sut = SecurityApi.start(LoginAttacksIT.class, dynamodb);
        http = sut.http();
        usersAtStart = sut.dynamodb().scan(b -> b.tableName(sut.api().usersTable())).count();
        sut.addUser("alice", Set.of("user"), Set.of());
        sut.addUser("victim", Set.of("user"), Set.of());
    }

    @AfterAll
    static void stop() {
        if (sut != null) {
            sut.close();
        }
    }

    @Test
    void theDeployedTemplateComesWithNoAccountAndNoDefaultCredentialsWork() {
        assertThat(usersAtStart).as("users in a freshly started API's table").isZero();
        for (String[] pair : new String[][] {{"admin", "admin"}, {"admin", "password"}, {"root", "root"},
                {"authfn", "authfn"}, {"test", "test"}}) {
            Expect.problem(http.post("/auth/login").basic(pair[0], pair[1]).send(), 401, "invalid-credentials");
        }
    }

    @Test
    void unknownUserAndWrongPasswordGetIdenticalResponses() {
        sut.addUser("carol", Set.of("user"), Set.of());
        Set<String> sessionsBefore = sut.sessionIds();

        String nobody = unknownName();
        Http.Response unknown = http.post("/auth/login")
                .json(Map.of("username", nobody, "password", PASSWORD)).send();
        Http.Response wrong = http.post("/auth/login")
                .json(Map.of("username", "carol", "password", PASSWORD + "!")).send();
        Http.Response unknownBasic = http.post("/auth/login").basic(nobody, PASSWORD).send();
        Http.Response wrongBasic = http.post("/auth/login").basic("carol", PASSWORD + "!").send();

        assertThat(unknown.status()).isEqualTo(401);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.body()).isEqualTo(unknown.body());
        assertThat(wrong.headersWithoutDate()).isEqualTo(unknown.headersWithoutDate());
        assertThat(unknown.header("Content-Type")).hasValue("application/problem+json");
        assertThat(unknown.header("Cache-Control")).hasValue("no-store");
        assertThat(unknown.json()).containsEntry("type", "urn:authfn:problem:invalid-credentials");
        assertThat(unknown.setCookieHeaders()).isEmpty();

        assertThat(wrongBasic.status()).isEqualTo(401);
        assertThat(unknownBasic.status()).isEqualTo(401);
        assertThat(wrongBasic.body()).isEqualTo(unknownBasic.body());
        assertThat(wrongBasic.headersWithoutDate()).isEqualTo(unknownBasic.headersWithoutDate());
        assertThat(wrongBasic.header("WWW-Authenticate")).hasValue("Basic realm=\"authfn\", charset=\"UTF-8\"");
        assertThat(sut.sessionIds()).isEqualTo(sessionsBefore);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Basic",
            "Basic ",
            "Basic !!!not-base64!!!",
            "Basic bm8tY29sb24taGVyZQ==", // "no-colon-here"
            "Basic OnBhc3N3b3Jk", // ":password" (empty user-id)
            "Basic /w==", // 0xFF: not UTF-8
            "Basic dmljdGltOmNvcnJlY3QgaG9yc2U=====", // padding run
            "Digest username=\"victim\"",
    })
    void malformedBasicHeaderIsA400ThatTouchesNothing(String authorization) {
        Set<String> sessionsBefore = sut.sessionIds();
        long failuresBefore = sut.failedLogins("victim");

        Http.Response response = http.post("/auth/login").header("Authorization", authorization).send();

        assertThat(response.status()).as("%s", response).isEqualTo(400);
        assertThat(response.header("Content-Type")).hasValue("application/problem+json");
        assertThat(response.json()).containsEntry("type", "urn:authfn:problem:malformed-request");
        assertThat(response.setCookieHeaders()).isEmpty();
        assertThat(sut.sessionIds()).isEqualTo(sessionsBefore);
        assertThat(sut.failedLogins("victim")).isEqualTo(failuresBefore);
    }

    @Test
    void repeatedFailuresLockTheAccountWithRetryAfterEvenForTheRightPasswordUntilTheLockExpires() {
        sut.addUser("lockme", Set.of("user"), Set.of());
        // LockoutPolicy.DEFAULT: the fifth consecutive failure locks for 1 s, each further one doubles it.
        for (int i = 1; i <= 4; i++) {
            Http.Response response = http.post("/auth/login")
                    .json(Map.of("username", "lockme", "password", "wrong-password-" + i)).send();
            assertThat(response.status()).as("failure %d: %s", i, response).isEqualTo(401);
        }
        assertThat(sut.failedLogins("lockme")).isEqualTo(4);

        Http.Response fifth = http.post("/auth/login").json(Map.of("username", "lockme", "password", "wrong-password-5")).send();
        Expect.problem(fifth, 429, "account-locked");
        assertThat(fifth.header("Retry-After")).hasValue("1");
        assertThat(sut.failedLogins("lockme")).isEqualTo(5);

        Set<String> sessionsBefore = sut.sessionIds();
        Http.Response rightDuringLock = http.post("/auth/login")
                .json(Map.of("username", "lockme", "password", PASSWORD)).send();
        assertThat(rightDuringLock.status()).as("%s", rightDuringLock).isEqualTo(429);
        assertThat(rightDuringLock.header("Retry-After")).hasValue("1");
        assertThat(rightDuringLock.setCookieHeaders()).isEmpty();
        assertThat(sut.sessionIds()).isEqualTo(sessionsBefore);
        assertThat(sut.failedLogins("lockme")).as("a refused attempt during the lock is not counted").isEqualTo(5);

        // The lock is one second: poll with the right password until it lets us in.
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        Http.Response after;
        do {
            after = http.post("/auth/login").json(Map.of("username", "lockme", "password", PASSWORD)).send();
        } while (after.status() == 429 && System.nanoTime() < deadline);
        assertThat(after.status()).as("%s", after).isEqualTo(200);
        assertThat(sut.failedLogins("lockme")).as("success resets the counter").isZero();
        assertThat(Long.parseLong(sut.userItem("lockme").get(UserItems.LOCKED_UNTIL).n())).isZero();
    }

    @Test
    void fiftyParallelWrongPasswordsOnceALockHasExpiredGetOneGuessAndAll429() throws Exception {
        // The 15th consecutive failure locks for the 15 min cap, so the window cannot end mid-test.
        sut.addUser("racer", Set.of("user"), Set.of());
        sut.setUserNumbers("racer", Map.of(UserItems.FAILED_LOGINS, 14L, UserItems.LOCKED_UNTIL, 0L));

        List<Http.Response> responses = fiftyParallelWrongPasswords("racer");

        assertThat(responses).extracting(Http.Response::status).containsOnly(429);
        assertThat(sut.failedLogins("racer")).as("one attempt reserved, so one password hashed").isEqualTo(15);
    }

    @Test
    void fiftyParallelAttemptsOnAnUnknownNameOnceALockHasExpiredGetOneGuessLikeAnAccount() throws Exception {
        String nobody = unknownName();
        sut.dynamodb().putItem(request -> request.tableName(sut.api().usersTable()).item(Map.of(
                UserItems.USERNAME, AttributeValue.fromS(nobody),
                UserItems.PHANTOM, AttributeValue.fromBool(true),
                UserItems.FAILED_LOGINS, AttributeValue.fromN("14"),
                UserItems.LOCKED_UNTIL, AttributeValue.fromN("0"),
                UserItems.EXPIRES_AT, AttributeValue.fromN(Long.toString(
                        Instant.now().plus(Duration.ofMinutes(30)).getEpochSecond())))));

        List<Http.Response> responses = fiftyParallelWrongPasswords(nobody);

        assertThat(responses).extracting(Http.Response::status).containsOnly(429);
        assertThat(sut.userItem(nobody).get(UserItems.FAILED_LOGINS).n()).isEqualTo("15");
        assertThat(sut.userItem(nobody)).doesNotContainKey(UserItems.USER_ID);
    }

    @Test
    void passwordsOf64And1000CharactersAreAcceptedAndOneCharacterMoreIsNot() {
        String p64 = "p".repeat(60) + "6464";
        String p1000 = "\u00e9".repeat(500) + "x".repeat(500);
        addUserWithPassword("sixtyfour", p64);
        addUserWithPassword("onethousand", p1000);

        assertThat(http.post("/auth/login").json(Map.of("username", "sixtyfour", "password", p64)).send().status())
                .isEqualTo(200);
        assertThat(http.post("/auth/login").json(Map.of("username", "onethousand", "password", p1000)).send().status())
                .isEqualTo(200);
        assertThat(http.post("/auth/login").basic("onethousand", p1000).send().status()).isEqualTo(200);

        Http.Response longer64 = http.post("/auth/login")
                .json(Map.of("username", "sixtyfour", "password", p64 + "x")).send();
        Http.Response longer1000 = http.post("/auth/login")
                .json(Map.of("username", "onethousand", "password", p1000 + "x")).send();
        Http.Response truncated = http.post("/auth/login")
                .json(Map.of("username", "onethousand", "password", p1000.substring(0, 999))).send();
        assertThat(longer64.status()).isEqualTo(401);
        assertThat(longer1000.status()).isEqualTo(401);
        assertThat(truncated.status()).as("checked exactly as received, not truncated").isEqualTo(401);
        assertThat(sut.failedLogins("onethousand")).isEqualTo(2);
    }

    @Test
    void oneMegabyteBodyIsRefusedBeforeAnyHashingOrCounting() {
        Set<String> sessionsBefore = sut.sessionIds();
        long failuresBefore = sut.failedLogins("victim");
        byte[] body = ("{\"username\":\"victim\",\"password\":\"" + "a".repeat(1024 * 1024) + "\"}")
                .getBytes(StandardCharsets.UTF_8);

        Http.Response response = http.post("/auth/login").body("application/json", body).send();

        assertThat(response.status()).as("%s", response).isEqualTo(413);
        assertThat(response.json()).containsEntry("type", "urn:authfn:problem:payload-too-large");
        assertThat(sut.failedLogins("victim")).as("the attempt never reached the account").isEqualTo(failuresBefore);
        assertThat(sut.sessionIds()).isEqualTo(sessionsBefore);
        assertThat(sut.logLines()).anyMatch(line -> line.contains("\"event\":\"login\",\"outcome\":\"refused\",\"reason\":\"BODY_TOO_LARGE\""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"victim\u0000", "victim\r\nlogin outcome=success user=root FORGED", "vic\ntim",
            "victim\r", "\u0000"})
    void controlCharactersInTheUsernameGetTheGeneric401AndOneLogLine(String username) {
        Set<String> sessionsBefore = sut.sessionIds();
        long failuresBefore = sut.failedLogins("victim");
        int linesBefore = sut.logLines().size();

        Http.Response json = http.post("/auth/login").json(Map.of("username", username, "password", PASSWORD)).send();
        Http.Response basic = http.post("/auth/login").basic(username, PASSWORD).send();
        Http.Response reference = http.post("/auth/login")
                .json(Map.of("username", unknownName(), "password", PASSWORD)).send();

        assertThat(json.status()).isEqualTo(401);
        assertThat(json.body()).isEqualTo(reference.body());
        assertThat(basic.status()).isEqualTo(401);
        assertThat(sut.failedLogins("victim")).isEqualTo(failuresBefore);
        assertThat(sut.sessionIds()).isEqualTo(sessionsBefore);
        var newLines = sut.logLines().subList(linesBefore, sut.logLines().size());
        assertThat(newLines).as("three requests: three access lines and three login lines, nothing forged")
                .hasSize(6)
                .noneMatch(line -> line.contains("FORGED") || line.contains("\"outcome\":\"success\""))
                .filteredOn(line -> line.contains("\"event\":\"login\"")).hasSize(3);
    }

    @Test
    void crossSiteLoginIsRefusedWith403BeforeTheCredentialsAreLookedAt() {
        Set<String> sessionsBefore = sut.sessionIds();
        long failuresBefore = sut.failedLogins("victim");

        Http.Response crossSite = http.post("/auth/login").header("Sec-Fetch-Site", "cross-site")
                .json(Map.of("username", "victim", "password", PASSWORD)).send();
        Http.Response foreignOrigin = http.post("/auth/login").header("Origin", "https://evil.example")
                .json(Map.of("username", "victim", "password", "wrong-password")).send();
        Http.Response nullOrigin = http.post("/auth/login").header("Origin", "null")
                .basic("victim", PASSWORD).send();

        for (Http.Response response : new Http.Response[] {crossSite, foreignOrigin, nullOrigin}) {
            assertThat(response.status()).as("%s", response).isEqualTo(403);
            assertThat(response.json()).containsEntry("type", "urn:authfn:problem:cross-site-request");
            assertThat(response.setCookieHeaders()).isEmpty();
        }
        assertThat(sut.failedLogins("victim")).isEqualTo(failuresBefore);
        assertThat(sut.sessionIds()).isEqualTo(sessionsBefore);
    }

    /** Fifty wrong-password logins for {@code username}, sent at once. */
    private static List<Http.Response> fiftyParallelWrongPasswords(String username) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Http.Response>> futures = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(50)) {
            for (int i = 0; i < 50; i++) {
                String password = "wrong-password-" + i;
                futures.add(threads.submit(() -> {
                    start.await();
                    return http.post("/auth/login").json(Map.of("username", username, "password", password)).send();
                }));
            }
            start.countDown();
            List<Http.Response> responses = new ArrayList<>();
            for (Future<Http.Response> future : futures) {
                responses.add(future.get(60, TimeUnit.SECONDS));
            }
            return responses;
        }
    }

    private static void addUserWithPassword(String username, String password) {
        dev.authfn.core.user.User user = new dev.authfn.core.user.User(username, java.util.UUID.randomUUID().toString(),
                new Argon2idHasher().hash(password), Set.of("user"), Set.of(),
                dev.authfn.core.user.UserStatus.ACTIVE, 0, java.time.Instant.EPOCH);
        assertThat(sut.users().create(user)).isTrue();
    }

    /**
     * A name no user holds, fresh for each use: failures for unknown names are counted and lock
     * like an account's, so reusing one name across tests would reach a 429.
     */
    private static String unknownName() {
        return "nobody-" + UNKNOWN_NAMES.incrementAndGet();
    }

    private static final java.util.concurrent.atomic.AtomicInteger UNKNOWN_NAMES =
            new java.util.concurrent.atomic.AtomicInteger();
}
