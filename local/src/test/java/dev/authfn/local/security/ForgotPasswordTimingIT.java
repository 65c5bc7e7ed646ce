package dev.authfn.local.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.mail.DirectoryOutbox;
import dev.authfn.core.mail.StoredMail;
import dev.authfn.local.testing.Http;
import dev.authfn.testkit.dynamodb.DynamoDbEndpointExtension;
import dev.authfn.testkit.dynamodb.DynamoDbTestEndpoint;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 14 / docs/API.md §12: {@code POST /auth/password/forgot} does not tell whether an account
 * exists. For an existing account (verified, unverified or disabled) and a missing one, by
 * username and by address: the same status, headers (but {@code Date}) and body; the same median
 * time within noise, sampled as {@link LoginTimingIT} does (interleaved, alternating which goes
 * first, after a warm-up); and the same store work on the request path, seen through a
 * {@link DynamoDbRecorder} between the functions and the run's DynamoDB API: one outbox write of
 * the same shape. The mailer resolves the account later, off the request path, from that write.
 */
@ExtendWith(DynamoDbEndpointExtension.class)
class ForgotPasswordTimingIT {

    /**
     * More samples than {@link LoginTimingIT}'s: a forgot request takes milliseconds, not an
     * Argon2id hash, so the machine's noise is a larger share of each sample; 240 requests still
     * take only a few seconds.
     */
    private static final int WARM_UP = 20;
    private static final int SAMPLES = 100;
    private static final String PASSWORD = "timing passphrase for forgot 7";
    private static final String EXISTING = "timed-account";
    private static final String EXISTING_EMAIL = "Timed.Account@example.com";
    private static final String UNVERIFIED = "timed-unverified";
    private static final String DISABLED = "timed-disabled";
    private static final Pattern VERIFY_LINK = Pattern.compile("#verify=([A-Za-z0-9._~-]+)");
    /** Three mail-driver rounds without a DynamoDB request but its scans: the mailer is done. */
    private static final long QUIET_MILLIS = 600;

    private static DynamoDbRecorder recorder;
    private static SecurityApi sut;
    private static Http http;
    private static String outboxTable;
    private static final AtomicInteger MISSING = new AtomicInteger();

    @BeforeAll
    static void start(DynamoDbTestEndpoint dynamodb) throws Exception {
        // The recorder relays plain HTTP: with an emulator it sits in front of the functions; with
        // real AWS the answers and times are still compared, and the store-work test fails saying why.
        Optional<URI> emulator = dynamodb.endpoint().filter(endpoint -> "http".equals(endpoint.getScheme()));
        if (emulator.isPresent()) {
            recorder = DynamoDbRecorder.start(emulator.get());
            sut = SecurityApi.startThrough(ForgotPasswordTimingIT.class, dynamodb, recorder.uri());
        } else {
            sut = SecurityApi.start(ForgotPasswordTimingIT.class, dynamodb);
        }
        http = sut.http();
        outboxTable = sut.api().usersTable().replaceFirst("-users$", "-outbox");
        assertThat(outboxTable).endsWith("-outbox");
        DirectoryOutbox mails = new DirectoryOutbox(sut.api().mailDirectory());
        signUp(EXISTING, EXISTING_EMAIL);
        verify(awaitMail(mails, EXISTING_EMAIL));
        signUp(UNVERIFIED, "Timed.Unverified@example.com");
        signUp(DISABLED, "Timed.Disabled@example.com");
        verify(awaitMail(mails, "Timed.Disabled@example.com"));
        assertThat(sut.admin().disable(DISABLED)).isPresent();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (sut != null) {
                sut.close();
            }
        } finally {
            if (recorder != null) {
                recorder.close();
            }
        }
    }

    @Test
    void existingUnverifiedDisabledAndMissingAccountsGetIdenticalAnswers() {
        Http.Response existing = forgot(Map.of("username", EXISTING));
        assertThat(existing.status()).as("%s", existing).isEqualTo(202);
        assertThat(existing.header("Content-Type")).hasValue("application/json");
        assertThat(existing.header("Cache-Control")).hasValue("no-store");
        assertThat(existing.setCookies()).isEmpty();
        assertThat(existing.json()).isEqualTo(Map.of("detail", "If an account matches, a mail is on its way."));

        List<Http.Response> others = List.of(
                forgot(Map.of("username", UNVERIFIED)),
                forgot(Map.of("username", DISABLED)),
                forgot(Map.of("username", missingName())),
                forgot(Map.of("email", EXISTING_EMAIL)),
                forgot(Map.of("email", "Timed.Unverified@example.com")),
                forgot(Map.of("email", "Timed.Disabled@example.com")),
                forgot(Map.of("email", missingEmail())));
        for (Http.Response other : others) {
            assertThat(other.status()).as("%s", other).isEqualTo(existing.status());
            assertThat(other.headersWithoutDate()).as("%s", other).isEqualTo(existing.headersWithoutDate());
            assertThat(other.body()).as("%s", other).isEqualTo(existing.body());
        }
    }

    @Test
    void existingAndMissingUsernameTakeTheSameTimeWithinNoise() {
        assertSameTime("username", () -> Map.of("username", EXISTING), () -> Map.of("username", missingName()));
    }

    @Test
    void existingAndMissingAddressTakeTheSameTimeWithinNoise() {
        assertSameTime("email", () -> Map.of("email", EXISTING_EMAIL), () -> Map.of("email", missingEmail()));
    }

    @Test
    void existingAndMissingAccountsCauseTheSameStoreWorkOnTheRequestPath() {
        assertThat(recorder).as("recording the functions' DynamoDB requests needs an emulator at a plain-HTTP "
                + "endpoint; this run uses %s. Run it against moto or LocalStack (unset AUTHFN_TEST_AWS_ENDPOINT "
                + "and put moto_server on the PATH, or set the variable to the emulator's URL)", sut.api().dynamodbEndpoint())
                .isNotNull();
        List<String> existingByName = requestPathWork(Map.of("username", EXISTING), "forgot-username");
        List<String> missingByName = requestPathWork(Map.of("username", missingName()), "forgot-username");
        List<String> disabledByName = requestPathWork(Map.of("username", DISABLED), "forgot-username");
        List<String> existingByEmail = requestPathWork(Map.of("email", EXISTING_EMAIL), "forgot-email");
        List<String> missingByEmail = requestPathWork(Map.of("email", missingEmail()), "forgot-email");

        List<String> oneOutboxWrite = List.of("PutItem " + outboxTable
                + " [createdAt, expiresAt, id, kind, subject]");
        assertThat(existingByName).as("by username, existing").isEqualTo(oneOutboxWrite);
        assertThat(missingByName).as("by username, missing").isEqualTo(oneOutboxWrite);
        assertThat(disabledByName).as("by username, disabled").isEqualTo(oneOutboxWrite);
        assertThat(existingByEmail).as("by address, existing").isEqualTo(oneOutboxWrite);
        assertThat(missingByEmail).as("by address, missing").isEqualTo(oneOutboxWrite);

        // Off the request path the mailer told them apart: the existing account got reset mails
        // (the first ones at least: the address's hourly limit stops the rest), the disabled one none.
        awaitQuiet();
        DirectoryOutbox mails = new DirectoryOutbox(sut.api().mailDirectory());
        assertThat(subjectsTo(mails, EXISTING_EMAIL)).first().isEqualTo("Confirm your email address for authfn");
        assertThat(subjectsTo(mails, EXISTING_EMAIL)).contains("Reset your authfn password");
        assertThat(subjectsTo(mails, "Timed.Disabled@example.com")).containsExactly("Confirm your email address for authfn");
        assertThat(mails.list()).extracting(mail -> mail.mail().to())
                .allMatch(to -> to.startsWith("Timed."), "only the accounts' addresses get mail");
    }

    private static List<String> subjectsTo(DirectoryOutbox mails, String to) {
        return mails.list().stream().filter(mail -> mail.mail().to().equals(to)).map(mail -> mail.mail().subject())
                .toList();
    }

    private static void assertSameTime(String by, Supplier<Map<String, String>> existing,
            Supplier<Map<String, String>> missing) {
        Http.Response reference = forgot(existing.get());
        for (int i = 0; i < WARM_UP; i++) {
            time(existing.get(), reference);
            time(missing.get(), reference);
        }
        List<Long> existingTimes = new ArrayList<>();
        List<Long> missingTimes = new ArrayList<>();
        for (int i = 0; i < SAMPLES; i++) {
            if (i % 2 == 0) {
                existingTimes.add(time(existing.get(), reference));
                missingTimes.add(time(missing.get(), reference));
            } else {
                missingTimes.add(time(missing.get(), reference));
                existingTimes.add(time(existing.get(), reference));
            }
        }
        double ratio = (double) median(missingTimes) / median(existingTimes);
        System.out.printf("ForgotPasswordTimingIT: by %s, median existing %.2f ms, missing %.2f ms, ratio %.3f%n",
                by, median(existingTimes) / 1e6, median(missingTimes) / 1e6, ratio);
        assertThat(ratio).as("median(missing) / median(existing) by %s; existing %s, missing %s", by, existingTimes,
                missingTimes).isBetween(0.8, 1.25);
    }

    /** One timed request; its answer must equal {@code reference}'s but for {@code Date}. */
    private static long time(Map<String, String> body, Http.Response reference) {
        Http.Response response = forgot(body);
        assertThat(response.status()).as("%s", response).isEqualTo(reference.status());
        assertThat(response.headersWithoutDate()).as("%s", response).isEqualTo(reference.headersWithoutDate());
        assertThat(response.body()).as("%s", response).isEqualTo(reference.body());
        return response.elapsed().toNanos();
    }

    /**
     * The DynamoDB requests one forgot request made, each as operation, table and (for a put) the
     * item's attribute names, once the mailer has finished with everything before it. The mail
     * driver's scans of the outbox are left out; so is everything from the driver taking this
     * request's item (its delete) on, which is the mailer's work, should the driver have come
     * round before the answer left. Checks the write's kind too.
     */
    private static List<String> requestPathWork(Map<String, String> body, String kind) {
        awaitQuiet();
        long from = recorder.mark();
        Http.Response response = forgot(body);
        long to = recorder.mark();
        assertThat(response.status()).as("%s", response).isEqualTo(202);
        List<String> work = new ArrayList<>();
        for (DynamoDbRecorder.Call call : recorder.between(from, to)) {
            if (call.table().equals(outboxTable) && call.operation().equals("Scan")) {
                continue;
            }
            if (call.table().equals(outboxTable) && call.operation().equals("DeleteItem")) {
                break;
            }
            if (call.operation().equals("PutItem") && call.body().get("Item") instanceof Map<?, ?> item) {
                work.add(call + " " + new TreeSet<>(item.keySet().stream().map(String::valueOf).toList()));
                if (call.table().equals(outboxTable)) {
                    assertThat(item.get("kind")).as("the outbox write's kind").isEqualTo(Map.of("S", kind));
                }
            } else {
                work.add(call.toString());
            }
        }
        return work;
    }

    /** Waits until the functions have made no DynamoDB request but the driver's outbox scans for {@link #QUIET_MILLIS}. */
    private static void awaitQuiet() {
        long deadline = System.nanoTime() + 15_000_000_000L;
        long lastBusy = System.nanoTime();
        long seen = recorder.mark();
        while (System.nanoTime() - lastBusy < QUIET_MILLIS * 1_000_000L) {
            assertThat(System.nanoTime()).as("the functions' DynamoDB traffic did not settle within 15 s")
                    .isLessThan(deadline);
            for (DynamoDbRecorder.Call call : recorder.since(seen)) {
                if (!(call.table().equals(outboxTable) && call.operation().equals("Scan"))) {
                    lastBusy = call.nanoTime();
                }
            }
            seen = recorder.mark();
            sleep(50);
        }
    }

    private static Http.Response forgot(Map<String, String> body) {
        return http.post("/auth/password/forgot").json(body).send();
    }

    /** A name no account has, as long as {@link #EXISTING}: the request bodies differ only in letters. */
    private static String missingName() {
        return "missing-%05d".formatted(MISSING.incrementAndGet());
    }

    /** An address no account has, as long as {@link #EXISTING_EMAIL}. */
    private static String missingEmail() {
        return "Nobody.%07d@example.com".formatted(MISSING.incrementAndGet());
    }

    private static void signUp(String username, String email) {
        Http.Response response = http.post("/auth/register")
                .json(Map.of("username", username, "email", email, "password", PASSWORD)).send();
        assertThat(response.status()).as("%s", response).isEqualTo(202);
    }

    private static StoredMail awaitMail(DirectoryOutbox mails, String to) {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<StoredMail> found = mails.list().stream().filter(mail -> mail.mail().to().equals(to)).toList();
            if (!found.isEmpty()) {
                return found.get(0);
            }
            sleep(50);
        }
        throw new AssertionError("no mail to " + to + " within 15 s");
    }

    private static void verify(StoredMail mail) {
        Matcher link = VERIFY_LINK.matcher(mail.mail().text());
        assertThat(link.find()).as("a verification link in %s", mail.mail()).isTrue();
        Http.Response response = http.post("/auth/email/verify").json(Map.of("token", link.group(1))).send();
        assertThat(response.status()).as("%s", response).isEqualTo(204);
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis); // polling the mail directory and the recorder
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
