package dev.authfn.local.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.auth.CredentialCodecs;
import dev.authfn.auth.LoginService;
import dev.authfn.auth.LoginService.Attempt;
import dev.authfn.auth.LoginService.Locked;
import dev.authfn.auth.LoginService.Outcome;
import dev.authfn.auth.LoginService.Reason;
import dev.authfn.auth.LoginService.Refused;
import dev.authfn.auth.SessionTimeouts;
import dev.authfn.core.keys.KeySet;
import dev.authfn.core.password.PasswordHasher;
import dev.authfn.testkit.CountingPasswordHasher;
import dev.authfn.core.user.LockoutPolicy;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserLookup;
import dev.authfn.core.user.UserStatus;
import dev.authfn.dynamodb.DynamoDbClients;
import dev.authfn.dynamodb.DynamoDbUserStore;
import dev.authfn.dynamodb.TableDefinitions;
import dev.authfn.password.Argon2idHasher;
import dev.authfn.testkit.InMemorySessionStore;
import dev.authfn.testkit.SessionStoreContract;
import dev.authfn.testkit.dynamodb.DynamoDbEndpointExtension;
import dev.authfn.testkit.dynamodb.DynamoDbTestEndpoint;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Issue 19, defect 2 ("lockout can be raced"), at the login service over a real DynamoDB API
 * (see {@link DynamoDbEndpointExtension}: {@code AUTHFN_TEST_AWS_ENDPOINT}, LocalStack or moto).
 * Fifty attempts run at once through {@link LoginService} and the DynamoDB user store, with a
 * hasher that counts the passwords it checks and a fixed clock, so that no lock window ends
 * during the test: however the requests interleave, no more passwords are hashed than the window
 * allows.
 */
@ExtendWith(DynamoDbEndpointExtension.class)
class LockoutRaceIT {

    private static final Instant NOW = SessionStoreContract.T0;
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final PasswordHasher ARGON2 = new Argon2idHasher();
    private static final String PASSWORD_HASH = ARGON2.hash(SecurityApi.PASSWORD);
    private static final int PARALLEL = 50;

    private static DynamoDbClient client;
    private static String usersTable;

    private final CountingPasswordHasher hasher = new CountingPasswordHasher(ARGON2);
    private DynamoDbUserStore users;
    private LoginService service;

    @BeforeAll
    static void createTable(DynamoDbTestEndpoint endpoint) {
        client = DynamoDbClients.create(endpoint.endpoint(), endpoint.region(), endpoint.credentials());
        usersTable = endpoint.freshTableName("authfn-users");
        TableDefinitions.createUsersTable(client, usersTable);
    }

    @AfterAll
    static void deleteTable() {
        if (client != null) {
            client.deleteTable(request -> request.tableName(usersTable));
            client.close();
        }
    }

    @BeforeEach
    void buildService() {
        SecureRandom random = new SecureRandom();
        CredentialCodecs codecs = new CredentialCodecs(KeySet.generate(CLOCK), new CredentialCodecs.Settings(
                "https://auth.example.com", "authfn-api", "authfn-web", Duration.ofMinutes(5), Duration.ofSeconds(60),
                SessionTimeouts.DEFAULT), random, CLOCK);
        users = new DynamoDbUserStore(client, usersTable);
        service = new LoginService(users, new InMemorySessionStore(), hasher, () -> codecs, SessionTimeouts.DEFAULT,
                LockoutPolicy.DEFAULT, random, CLOCK);
    }

    @Test
    void fiftyParallelWrongPasswordsHashFiveAndTheOtherFortyFiveAreLockedWithoutAHash() throws Exception {
        String username = givenUser(0, Instant.EPOCH);

        List<Outcome> outcomes = fiftyWrongPasswordsAtOnce(username);

        assertThat(hasher.verifications()).isEqualTo(5);
        assertThat(outcomes).filteredOn(new Refused(Reason.WRONG_PASSWORD)::equals).hasSize(4);
        assertThat(outcomes).filteredOn(new Locked(Duration.ofSeconds(1))::equals).hasSize(46);
        User after = users.get(username).orElseThrow();
        assertThat(after.failedLogins()).isEqualTo(5);
        assertThat(after.lockedUntil()).isEqualTo(NOW.plusSeconds(1));
    }

    @Test
    void fiftyParallelAttemptsOnAnUnknownNameHashFiveLikeAnAccount() throws Exception {
        String username = "nobody-" + UUID.randomUUID();

        List<Outcome> outcomes = fiftyWrongPasswordsAtOnce(username);

        assertThat(hasher.verifications()).isEqualTo(5);
        assertThat(outcomes).filteredOn(new Refused(Reason.UNKNOWN_USER)::equals).hasSize(4);
        assertThat(outcomes).filteredOn(new Locked(Duration.ofSeconds(1))::equals).hasSize(46);
        assertThat(users.lookup(username, NOW)).isEqualTo(new UserLookup.Unknown(NOW.plusSeconds(1)));
        assertThat(users.get(username)).isEmpty();
    }

    @Test
    void onceALockHasExpiredFiftyParallelWrongPasswordsHashOne() throws Exception {
        String username = givenUser(5, NOW);

        List<Outcome> outcomes = fiftyWrongPasswordsAtOnce(username);

        assertThat(hasher.verifications()).isEqualTo(1);
        assertThat(outcomes).hasSize(PARALLEL).containsOnly(new Locked(Duration.ofSeconds(2)));
        User after = users.get(username).orElseThrow();
        assertThat(after.failedLogins()).isEqualTo(6);
        assertThat(after.lockedUntil()).isEqualTo(NOW.plusSeconds(2));
    }

    private String givenUser(int failedLogins, Instant lockedUntil) {
        String username = "racer-" + UUID.randomUUID();
        assertThat(users.create(new User(username, UUID.randomUUID().toString(), PASSWORD_HASH, Set.of("user"),
                Set.of(), UserStatus.ACTIVE, failedLogins, lockedUntil))).isTrue();
        return username;
    }

    private List<Outcome> fiftyWrongPasswordsAtOnce(String username) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Outcome>> futures = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(PARALLEL)) {
            for (int i = 0; i < PARALLEL; i++) {
                Attempt attempt = new Attempt(username, "wrong password " + i, "race-test", "192.0.2.1");
                futures.add(threads.submit(() -> {
                    start.await();
                    return service.login(attempt);
                }));
            }
            start.countDown();
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> future : futures) {
                outcomes.add(future.get(60, TimeUnit.SECONDS));
            }
            return outcomes;
        }
    }
}
