package dev.authfn.local.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.local.testing.Http;
import dev.authfn.local.testing.Login;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.authfn.testkit.dynamodb.DynamoDbTestEndpoint;
import dev.authfn.testkit.dynamodb.DynamoDbEndpointExtension;

/** SECURITY.md "Attacks and bad inputs", Faults: a logout racing a refresh of the same session ends revoked. */
@ExtendWith(DynamoDbEndpointExtension.class)
class ConcurrencyIT {

    private static SecurityApi sut;
    private static Http http;
    private static ExecutorService pool;

    @BeforeAll
    static void start(DynamoDbTestEndpoint dynamodb) throws Exception {
        sut = SecurityApi.start(ConcurrencyIT.class, dynamodb);
        http = sut.http();
        sut.addUser("alice", Set.of("user"), Set.of());
        pool = Executors.newFixedThreadPool(4);
    }

    @AfterAll
    static void stop() {
        if (pool != null) {
            pool.shutdownNow();
        }
        if (sut != null) {
            sut.close();
        }
    }

    @RepeatedTest(6)
    void logoutRacingRefreshOfOneSessionEndsRevoked() throws Exception {
        Login login = sut.login("alice");
        CountDownLatch go = new CountDownLatch(1);

        CompletableFuture<Http.Response> refresh = CompletableFuture.supplyAsync(() -> {
            await(go);
            return login.withCookieAndCsrf(http.post("/auth/refresh")).send();
        }, pool);
        CompletableFuture<Http.Response> logout = CompletableFuture.supplyAsync(() -> {
            await(go);
            return login.withCookieAndCsrf(http.post("/auth/logout")).send();
        }, pool);
        go.countDown();

        Http.Response loggedOut = logout.get(60, TimeUnit.SECONDS);
        Http.Response refreshed = refresh.get(60, TimeUnit.SECONDS);
        assertThat(loggedOut.status()).as("%s", loggedOut).isEqualTo(204);
        // Refresh won the race (200), lost it at the authorizer (403) or in the function (401).
        assertThat(refreshed.status()).as("%s", refreshed).isIn(200, 401, 403);

        assertThat(sut.sessionItem(login.sessionId())).as("no refresh write re-created the item").isEmpty();
        Expect.deniedByTheAuthorizer(login.withCookie(http.get("/protected")).send());
        Expect.deniedByTheAuthorizer(login.withBearer(http.get("/protected")).send());
        if (refreshed.status() == 200) {
            Expect.deniedByTheAuthorizer(http.get("/protected").bearer((String) refreshed.json().get("access_token")).send());
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
