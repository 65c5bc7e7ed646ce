package dev.authfn.testkit;

import static dev.authfn.testkit.SessionStoreContract.randomId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authfn.core.oauth.AuthorizationCode;
import dev.authfn.core.oauth.OAuthClient;
import dev.authfn.core.oauth.OAuthCredential;
import dev.authfn.core.oauth.OAuthStore;
import dev.authfn.core.oauth.OAuthStore.CodeSpend;
import dev.authfn.core.oauth.OAuthStore.Reused;
import dev.authfn.core.oauth.OAuthStore.Spent;
import dev.authfn.core.oauth.OAuthStore.Unknown;
import dev.authfn.core.oauth.RefreshFamily;
import dev.authfn.core.oauth.RefreshToken;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link OAuthStore} must do (docs/API.md §18): clients, their CORS origins,
 * authorization codes spent once, refresh-token families rotated once per read. A store's test
 * class extends this and supplies a store. Time is explicit and in whole milliseconds (what the
 * table keeps); every test uses fresh random client ids, origins, codes and families, so tests may
 * share one table.
 */
public abstract class OAuthStoreContract {

    protected static final Instant T0 = SessionStoreContract.T0;
    protected static final SecureRandom RANDOM = new SecureRandom();
    private static final int PARALLEL = 8;
    private static final Set<String> SCOPES = Set.of("openid", "profile", "email", "offline_access", "posts:create");

    private OAuthStore store;

    /** A store for one test. */
    protected abstract OAuthStore newStore();

    @BeforeEach
    void createStore() {
        store = newStore();
    }

    protected final OAuthStore oauth() {
        return store;
    }

    // --- fixtures ---

    /** A client id no other test uses: lower case, so that it can be a host name too. */
    protected static String newClientId() {
        return "client-" + randomId();
    }

    /** An https origin no other test uses. */
    protected static String newOrigin() {
        return "https://" + randomId() + ".example";
    }

    /** A public client of that id, created at {@code T0} plus 7 ms, with these redirect URIs in this order. */
    protected static OAuthClient publicClient(String clientId, String... redirectUris) {
        return new OAuthClient(clientId, Optional.empty(), List.of(redirectUris), SCOPES, T0.plusMillis(7));
    }

    /** A confidential client of that id with the hash of {@code secret}. */
    protected static OAuthClient confidentialClient(String clientId, String secret, String... redirectUris) {
        return new OAuthClient(clientId, Optional.of(OAuthCredential.hash(secret)), List.of(redirectUris),
                Set.of("openid", "posts:create"), T0.plusMillis(11));
    }

    /** A code for the hash of {@code rawCode}, issued at {@code T0}, that expires at {@code expiresAt}. */
    protected static AuthorizationCode newCode(String rawCode, Instant expiresAt) {
        return new AuthorizationCode(OAuthCredential.hash(rawCode), newClientId(), "https://app.example/callback?x=1",
                "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", Set.of("openid", "profile", "posts:create"),
                Optional.of("n-0S6_WzA2Mj"), randomId(), "user-" + randomId(), randomId(), List.of("pwd", "otp", "mfa"),
                T0.minusMillis(30_001), T0, expiresAt);
    }

    protected static AuthorizationCode newCode(String rawCode) {
        return newCode(rawCode, T0.plus(AuthorizationCode.LIFETIME));
    }

    /** A new family for {@code token}: its id, the hash of its secret, no previous hash. */
    protected static RefreshFamily newFamily(RefreshToken token) {
        return new RefreshFamily(token.familyId(), newClientId(), randomId(), "user-" + randomId(), randomId(),
                Set.of("openid", "offline_access"), token.secretHash(), Optional.empty(), T0.plusMillis(3),
                T0.plusMillis(3), T0.plus(Duration.ofDays(30)));
    }

    private RefreshFamily saved(RefreshToken token) {
        RefreshFamily family = newFamily(token);
        assertThat(oauth().saveFamily(family)).isTrue();
        return family;
    }

    // --- clients ---

    @Test
    void aPublicClientIsFoundWithEveryFieldAndItsRedirectUrisInOrder() {
        String id = newClientId();
        OAuthClient client = publicClient(id, "https://z.example/cb", "https://a.example/cb?app=1",
                "http://127.0.0.1/native", "com.example.app:/oauth2redirect");

        assertThat(oauth().addClient(client)).isTrue();

        OAuthClient found = oauth().client(id).orElseThrow();
        assertThat(found).isEqualTo(client);
        assertThat(found.secretHash()).isEmpty();
        assertThat(found.redirectUris()).containsExactly("https://z.example/cb", "https://a.example/cb?app=1",
                "http://127.0.0.1/native", "com.example.app:/oauth2redirect");
        assertThat(found.scopes()).isEqualTo(SCOPES);
        assertThat(found.createdAt()).isEqualTo(T0.plusMillis(7)).isEqualTo(Instant.parse("2100-01-01T08:00:00.130Z"));
    }

    @Test
    void aConfidentialClientIsFoundWithItsSecretsHash() {
        String id = newClientId();
        String secret = OAuthCredential.generate(RANDOM);
        OAuthClient client = confidentialClient(id, secret, "https://billing.example/cb");

        assertThat(oauth().addClient(client)).isTrue();

        OAuthClient found = oauth().client(id).orElseThrow();
        assertThat(found).isEqualTo(client);
        assertThat(found.secretHash()).contains(OAuthCredential.hash(secret));
        assertThat(found.secretMatches(secret)).isTrue();
        assertThat(found.createdAt()).isEqualTo(T0.plusMillis(11));
    }

    @Test
    void aClientWithoutRedirectUrisOrScopesIsFoundSo() {
        String id = newClientId();
        OAuthClient client = new OAuthClient(id, Optional.of(OAuthCredential.hash(OAuthCredential.generate(RANDOM))),
                List.of(), Set.of(), T0);

        assertThat(oauth().addClient(client)).isTrue();

        assertThat(oauth().client(id)).contains(client);
    }

    @Test
    void aClientIdIsAddedOnceAndTheRefusedClientChangesNothing() {
        String id = newClientId();
        String origin = newOrigin();
        OAuthClient first = publicClient(id, "https://first.example/cb");
        oauth().addClient(first);

        assertThat(oauth().addClient(publicClient(id, origin + "/cb"))).isFalse();
        assertThat(oauth().addClient(confidentialClient(id, OAuthCredential.generate(RANDOM), origin + "/cb")))
                .isFalse();

        assertThat(oauth().client(id)).contains(first);
        assertThat(oauth().clients()).filteredOn(client -> client.clientId().equals(id)).containsExactly(first);
        assertThat(oauth().isCorsOrigin(origin)).as("the refused client's origin").isFalse();
    }

    @Test
    void anUnknownClientIsNotFound() {
        oauth().addClient(publicClient(newClientId(), "https://app.example/cb"));

        assertThat(oauth().client(newClientId())).isEmpty();
        assertThat(oauth().client("")).isEmpty();
        assertThat(oauth().client(null)).isEmpty();
        assertThat(oauth().client("not a client id")).isEmpty();
        assertThat(oauth().client("x".repeat(5000))).as("longer than any key").isEmpty();
    }

    @Test
    void clientsAreListedById() {
        String prefix = "list-" + randomId();
        OAuthClient c = publicClient(prefix + "-c", "https://c.example/cb");
        OAuthClient a = confidentialClient(prefix + "-a", OAuthCredential.generate(RANDOM), "https://a.example/cb");
        OAuthClient b = publicClient(prefix + "-b", "https://b.example/cb");
        oauth().addClient(c);
        oauth().addClient(a);
        oauth().addClient(b);

        List<OAuthClient> listed = oauth().clients();

        assertThat(listed).filteredOn(client -> client.clientId().startsWith(prefix)).containsExactly(a, b, c);
        assertThat(listed).isSortedAccordingTo(Comparator.comparing(OAuthClient::clientId));
    }

    @Test
    void aRemovedClientIsGoneAndItsIdCanBeAddedAgain() {
        String id = newClientId();
        OAuthClient client = publicClient(id, "https://app.example/cb");
        OAuthClient kept = publicClient(newClientId(), "https://app.example/cb");
        oauth().addClient(client);
        oauth().addClient(kept);

        assertThat(oauth().removeClient(id)).isTrue();

        assertThat(oauth().client(id)).isEmpty();
        assertThat(oauth().clients()).doesNotContain(client).contains(kept);
        assertThat(oauth().client(kept.clientId())).contains(kept);
        assertThat(oauth().removeClient(id)).as("once").isFalse();
        OAuthClient again = confidentialClient(id, OAuthCredential.generate(RANDOM), "https://other.example/cb");
        assertThat(oauth().addClient(again)).isTrue();
        assertThat(oauth().client(id)).contains(again);
    }

    @Test
    void anUnknownClientIsNotRemoved() {
        assertThat(oauth().removeClient(newClientId())).isFalse();
        assertThat(oauth().removeClient("not a client id")).isFalse();
        assertThat(oauth().removeClient("x".repeat(5000))).isFalse();
        assertThat(oauth().removeClient(null)).isFalse();
    }

    // --- CORS origins ---

    @Test
    void aPublicClientsHttpsAndLoopbackRedirectOriginsAreCorsOrigins() {
        String origin = newOrigin();
        int port = 1024 + RANDOM.nextInt(60_000);
        oauth().addClient(publicClient(newClientId(), origin + "/callback", "http://127.0.0.1:" + port + "/cb",
                "com.example.app:/cb"));

        assertThat(oauth().isCorsOrigin(origin)).isTrue();
        assertThat(oauth().isCorsOrigin("http://127.0.0.1:" + port)).isTrue();
        assertThat(oauth().isCorsOrigin(origin + "/")).as("an origin has no path").isFalse();
        assertThat(oauth().isCorsOrigin(origin + "/callback")).isFalse();
        assertThat(oauth().isCorsOrigin(origin.replace("https:", "http:"))).isFalse();
        assertThat(oauth().isCorsOrigin(origin + ":8443")).isFalse();
        assertThat(oauth().isCorsOrigin(origin + ".evil.example")).isFalse();
        assertThat(oauth().isCorsOrigin("com.example.app:")).isFalse();
    }

    @Test
    void aConfidentialClientsRedirectOriginsAreNot() {
        String origin = newOrigin();
        oauth().addClient(confidentialClient(newClientId(), OAuthCredential.generate(RANDOM), origin + "/cb"));

        assertThat(oauth().isCorsOrigin(origin)).isFalse();
    }

    @Test
    void aRemovedClientsOriginsAreNotCorsOriginsAnyMore() {
        String id = newClientId();
        String one = newOrigin();
        String two = newOrigin();
        oauth().addClient(publicClient(id, one + "/cb", two + "/cb", one + "/other"));

        oauth().removeClient(id);

        assertThat(oauth().isCorsOrigin(one)).isFalse();
        assertThat(oauth().isCorsOrigin(two)).isFalse();
    }

    @Test
    void anOriginTwoClientsShareStaysUntilBothAreRemoved() {
        String shared = newOrigin();
        String own = newOrigin();
        String first = newClientId();
        String second = newClientId();
        oauth().addClient(publicClient(first, shared + "/a", own + "/cb"));
        oauth().addClient(publicClient(second, shared + "/b"));

        oauth().removeClient(first);

        assertThat(oauth().isCorsOrigin(shared)).as("still the second client's").isTrue();
        assertThat(oauth().isCorsOrigin(own)).isFalse();

        oauth().removeClient(second);

        assertThat(oauth().isCorsOrigin(shared)).isFalse();
    }

    @Test
    void anOriginNoClientHasIsNot() {
        oauth().addClient(publicClient(newClientId(), newOrigin() + "/cb"));

        assertThat(oauth().isCorsOrigin(newOrigin())).isFalse();
        assertThat(oauth().isCorsOrigin(null)).isFalse();
        assertThat(oauth().isCorsOrigin("")).isFalse();
        assertThat(oauth().isCorsOrigin("null")).as("the Origin of a sandboxed frame or a file").isFalse();
        assertThat(oauth().isCorsOrigin("https://" + "x".repeat(5000) + ".example")).as("longer than any key")
                .isFalse();
    }

    // --- authorization codes ---

    @Test
    void aSavedCodeIsSpentWithEveryField() {
        AuthorizationCode code = newCode(OAuthCredential.generate(RANDOM));
        oauth().saveCode(code);

        CodeSpend spend = oauth().spendCode(code.codeHash(), randomId(), T0.plusSeconds(1));

        assertThat(spend).isEqualTo(new Spent(code));
        AuthorizationCode spent = ((Spent) spend).code();
        assertThat(spent.amr()).containsExactly("pwd", "otp", "mfa");
        assertThat(spent.nonce()).contains("n-0S6_WzA2Mj");
        assertThat(spent.authTime()).isEqualTo(T0.minusMillis(30_001));
        assertThat(spent.expiresAt()).isEqualTo(T0.plusSeconds(60));
    }

    @Test
    void aCodeWithoutANonceOrScopesIsSpentSo() {
        AuthorizationCode code = new AuthorizationCode(OAuthCredential.hash(OAuthCredential.generate(RANDOM)),
                newClientId(), "com.example.app:/cb", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", Set.of(),
                Optional.empty(), randomId(), "user-" + randomId(), randomId(), List.of("hwk", "user"), T0, T0,
                T0.plusSeconds(60));
        oauth().saveCode(code);

        assertThat(oauth().spendCode(code.codeHash(), randomId(), T0)).isEqualTo(new Spent(code));
    }

    @Test
    void everyLaterSpendIsReusedNamingTheFirstSpendsGrantSession() {
        AuthorizationCode code = newCode(OAuthCredential.generate(RANDOM));
        oauth().saveCode(code);
        String firstGrant = randomId();

        assertThat(oauth().spendCode(code.codeHash(), firstGrant, T0)).isEqualTo(new Spent(code));

        assertThat(oauth().spendCode(code.codeHash(), randomId(), T0.plusSeconds(1)))
                .isEqualTo(new Reused(code, firstGrant));
        assertThat(oauth().spendCode(code.codeHash(), randomId(), T0.plusSeconds(2)))
                .as("still the first: a reuse records nothing").isEqualTo(new Reused(code, firstGrant));
    }

    @Test
    void anUnknownCodeIsUnknown() {
        oauth().saveCode(newCode(OAuthCredential.generate(RANDOM)));

        assertThat(oauth().spendCode(OAuthCredential.hash(OAuthCredential.generate(RANDOM)), randomId(), T0))
                .isEqualTo(new Unknown());
        assertThat(oauth().spendCode("x".repeat(5000), randomId(), T0)).as("longer than any key")
                .isEqualTo(new Unknown());
    }

    @Test
    void anUnknownCodeIsNotCreatedBySpendingIt() {
        String hash = OAuthCredential.hash(OAuthCredential.generate(RANDOM));
        oauth().spendCode(hash, randomId(), T0);

        assertThat(oauth().spendCode(hash, randomId(), T0)).isEqualTo(new Unknown());
    }

    @Test
    void anExpiredCodeIsStillSpentAndReturnedForTheCallerToRefuse() {
        AuthorizationCode code = newCode(OAuthCredential.generate(RANDOM), T0.minusSeconds(1));
        oauth().saveCode(code);

        assertThat(oauth().spendCode(code.codeHash(), randomId(), T0.plusSeconds(3600))).isEqualTo(new Spent(code));
    }

    @Test
    void codesAreSpentEachByItsOwnHash() {
        AuthorizationCode one = newCode(OAuthCredential.generate(RANDOM));
        AuthorizationCode two = newCode(OAuthCredential.generate(RANDOM));
        oauth().saveCode(one);
        oauth().saveCode(two);

        assertThat(oauth().spendCode(two.codeHash(), randomId(), T0)).isEqualTo(new Spent(two));
        assertThat(oauth().spendCode(one.codeHash(), randomId(), T0)).isEqualTo(new Spent(one));
    }

    @Test
    void eightSpendsAtOnceGiveTheCodeToOneAndTellTheOthersItsGrant() throws Exception {
        AuthorizationCode code = newCode(OAuthCredential.generate(RANDOM));
        oauth().saveCode(code);
        List<String> grants = new ArrayList<>();
        List<Callable<CodeSpend>> spends = new ArrayList<>();
        for (int i = 0; i < PARALLEL; i++) {
            String grant = randomId();
            grants.add(grant);
            spends.add(() -> oauth().spendCode(code.codeHash(), grant, T0));
        }

        List<CodeSpend> results = inParallel(spends);

        assertThat(results).filteredOn(Spent.class::isInstance).containsExactly(new Spent(code));
        String winner = grants.get(results.indexOf(new Spent(code)));
        assertThat(results).filteredOn(Reused.class::isInstance).hasSize(PARALLEL - 1)
                .containsOnly(new Reused(code, winner));
    }

    // --- refresh-token families ---

    @Test
    void aSavedFamilyIsFoundWithEveryField() {
        RefreshToken token = RefreshToken.generate(RANDOM);
        RefreshFamily family = saved(token);

        RefreshFamily found = oauth().family(token.familyId()).orElseThrow();

        assertThat(found).isEqualTo(family);
        assertThat(found.previousHash()).isEmpty();
        assertThat(found.currentHash()).isEqualTo(token.secretHash());
        assertThat(found.createdAt()).isEqualTo(T0.plusMillis(3));
    }

    @Test
    void aFamilyIdIsSavedOnce() {
        RefreshToken token = RefreshToken.generate(RANDOM);
        RefreshFamily family = saved(token);
        RefreshFamily other = newFamily(token.next(RANDOM));

        assertThat(oauth().saveFamily(other)).isFalse();

        assertThat(oauth().family(token.familyId())).contains(family);
    }

    @Test
    void anUnknownFamilyIsNotFound() {
        saved(RefreshToken.generate(RANDOM));

        assertThat(oauth().family(RefreshToken.generate(RANDOM).familyId())).isEmpty();
        assertThat(oauth().family("")).isEmpty();
        assertThat(oauth().family(null)).isEmpty();
        assertThat(oauth().family("x".repeat(5000))).as("longer than any key").isEmpty();
    }

    @Test
    void aRotationFromTheCurrentHashReplacesTheFamily() {
        RefreshToken first = RefreshToken.generate(RANDOM);
        RefreshFamily read = saved(first);
        RefreshToken second = first.next(RANDOM);
        RefreshFamily next = read.rotated(read.currentHash(), second.secretHash(), T0.plusSeconds(90));

        assertThat(oauth().rotate(read, next)).isTrue();

        RefreshFamily stored = oauth().family(first.familyId()).orElseThrow();
        assertThat(stored).isEqualTo(next);
        assertThat(stored.previousHash()).contains(first.secretHash());
        assertThat(stored.currentHash()).isEqualTo(second.secretHash());
        assertThat(stored.rotatedAt()).isEqualTo(T0.plusSeconds(90));
    }

    @Test
    void aRetryKeepsItsSiblingsAndARotationDropsThem() {
        RefreshToken first = RefreshToken.generate(RANDOM);
        RefreshFamily read = saved(first);
        RefreshFamily rotated = read.rotated(read.currentHash(), first.next(RANDOM).secretHash(), T0.plusSeconds(1));
        assertThat(oauth().rotate(read, rotated)).isTrue();
        RefreshFamily retried = rotated.retried(first.next(RANDOM).secretHash());

        assertThat(oauth().rotate(rotated, retried)).isTrue();

        RefreshFamily stored = oauth().family(first.familyId()).orElseThrow();
        assertThat(stored).isEqualTo(retried);
        assertThat(stored.siblingHashes()).containsExactly(rotated.currentHash());
        assertThat(stored.rotatedAt()).isEqualTo(T0.plusSeconds(1));
        RefreshFamily again = stored.rotated(rotated.currentHash(), first.next(RANDOM).secretHash(), T0.plusSeconds(5));
        assertThat(oauth().rotate(stored, again)).isTrue();
        assertThat(oauth().family(first.familyId()).orElseThrow().siblingHashes()).isEmpty();
    }

    @Test
    void aRotationFromAStaleReadChangesNothing() {
        RefreshToken first = RefreshToken.generate(RANDOM);
        RefreshFamily read = saved(first);
        RefreshFamily next = read.rotated(read.currentHash(), first.next(RANDOM).secretHash(), T0.plusSeconds(1));
        oauth().rotate(read, next);
        RefreshFamily late = read.rotated(read.currentHash(), first.next(RANDOM).secretHash(), T0.plusSeconds(2));

        assertThat(oauth().rotate(read, late)).isFalse();

        assertThat(oauth().family(first.familyId())).contains(next);
    }

    @Test
    void rotationsFollowOneAnother() {
        RefreshToken first = RefreshToken.generate(RANDOM);
        RefreshFamily one = saved(first);
        RefreshFamily two = one.rotated(one.currentHash(), first.next(RANDOM).secretHash(), T0.plusSeconds(1));
        RefreshFamily three = two.rotated(two.currentHash(), first.next(RANDOM).secretHash(), T0.plusSeconds(2));

        assertThat(oauth().rotate(one, two)).isTrue();
        assertThat(oauth().rotate(two, three)).isTrue();

        assertThat(oauth().family(first.familyId())).contains(three);
        assertThat(three.previousHash()).contains(two.currentHash());
    }

    @Test
    void eightRotationsFromOneReadRotateOnce() throws Exception {
        RefreshToken first = RefreshToken.generate(RANDOM);
        RefreshFamily read = saved(first);
        List<RefreshFamily> nexts = new ArrayList<>();
        List<Callable<Boolean>> rotations = new ArrayList<>();
        for (int i = 0; i < PARALLEL; i++) {
            RefreshFamily next = read.rotated(read.currentHash(), first.next(RANDOM).secretHash(), T0.plusSeconds(i));
            nexts.add(next);
            rotations.add(() -> oauth().rotate(read, next));
        }

        List<Boolean> results = inParallel(rotations);

        assertThat(results).containsOnlyOnce(true).filteredOn(Boolean.FALSE::equals).hasSize(PARALLEL - 1);
        assertThat(oauth().family(first.familyId())).contains(nexts.get(results.indexOf(true)));
    }

    @Test
    void aRotationKeepsTheFamilyId() {
        RefreshToken first = RefreshToken.generate(RANDOM);
        RefreshFamily read = saved(first);
        RefreshFamily other = newFamily(RefreshToken.generate(RANDOM));

        assertThatThrownBy(() -> oauth().rotate(read, other)).isInstanceOf(IllegalArgumentException.class);

        assertThat(oauth().family(first.familyId())).contains(read);
        assertThat(oauth().family(other.familyId())).isEmpty();
    }

    @Test
    void aRemovedFamilyIsGoneAndNeverRotatedBack() {
        RefreshToken first = RefreshToken.generate(RANDOM);
        RefreshFamily read = saved(first);
        RefreshFamily kept = saved(RefreshToken.generate(RANDOM));

        assertThat(oauth().removeFamily(first.familyId())).isTrue();

        assertThat(oauth().family(first.familyId())).isEmpty();
        assertThat(oauth().removeFamily(first.familyId())).as("once").isFalse();
        RefreshFamily next = read.rotated(read.currentHash(), first.next(RANDOM).secretHash(), T0.plusSeconds(1));
        assertThat(oauth().rotate(read, next)).isFalse();
        assertThat(oauth().family(first.familyId())).as("a rotation writes no family back").isEmpty();
        assertThat(oauth().family(kept.familyId())).contains(kept);
    }

    @Test
    void anUnknownFamilyIsNotRemoved() {
        assertThat(oauth().removeFamily(RefreshToken.generate(RANDOM).familyId())).isFalse();
        assertThat(oauth().removeFamily("x".repeat(5000))).isFalse();
        assertThat(oauth().removeFamily(null)).isFalse();
    }

    // --- helpers ---

    /** Runs the tasks at once, released together; what each gave, in order. */
    private static <T> List<T> inParallel(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
