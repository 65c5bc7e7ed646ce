package dev.authfn.local.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.dynamodb.internal.UserItems;
import dev.authfn.local.testing.Http;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.authfn.testkit.dynamodb.DynamoDbTestEndpoint;
import dev.authfn.testkit.dynamodb.DynamoDbEndpointExtension;

/**
 * SECURITY.md 6.3.8 over real HTTP: an unknown user and a wrong password take the same time within
 * noise. Samples alternate (and alternate which goes first) so drift in the machine's load hits
 * both; the wrong-password account's failure counter is reset between samples, outside the timed
 * request, so lockout never makes one side fast.
 */
@ExtendWith(DynamoDbEndpointExtension.class)
class LoginTimingIT {

    private static final int WARM_UP = 6;
    private static final int SAMPLES = 30;

    private static SecurityApi sut;
    private static Http http;

    @BeforeAll
    static void start(DynamoDbTestEndpoint dynamodb) throws Exception {
        sut = SecurityApi.start(LoginTimingIT.class, dynamodb);
        http = sut.http();
        sut.addUser("timed", Set.of("user"), Set.of());
    }

    @AfterAll
    static void stop() {
        if (sut != null) {
            sut.close();
        }
    }

    @Test
    void unknownUserAndWrongPasswordTakeTheSameTimeWithinNoise() {
        for (int i = 0; i < WARM_UP; i++) {
            unknownUser();
            wrongPassword();
        }
        List<Long> unknown = new ArrayList<>();
        List<Long> wrong = new ArrayList<>();
        for (int i = 0; i < SAMPLES; i++) {
            if (i % 2 == 0) {
                unknown.add(unknownUser());
                wrong.add(wrongPassword());
            } else {
                wrong.add(wrongPassword());
                unknown.add(unknownUser());
            }
        }
        double ratio = (double) median(unknown) / median(wrong);
        System.out.printf("LoginTimingIT: median unknown user %.1f ms, wrong password %.1f ms, ratio %.3f%n",
                median(unknown) / 1e6, median(wrong) / 1e6, ratio);
        assertThat(ratio).as("median(unknown) / median(wrong); unknown %s, wrong %s", unknown, wrong)
                .isBetween(0.8, 1.25);
    }

    /** A fresh name per attempt: unknown names lock like accounts, and this one must never lock. */
    private static final java.util.concurrent.atomic.AtomicInteger UNKNOWN_NAMES = new java.util.concurrent.atomic.AtomicInteger();

    private static long unknownUser() {
        Http.Response response = http.post("/auth/login")
                .json(Map.of("username", "no-such-user-" + UNKNOWN_NAMES.incrementAndGet(), "password", "a wrong password"))
                .send();
        assertThat(response.status()).isEqualTo(401);
        return response.elapsed().toNanos();
    }

    private static long wrongPassword() {
        Http.Response response = http.post("/auth/login")
                .json(Map.of("username", "timed", "password", "a wrong password")).send();
        assertThat(response.status()).as("%s", response).isEqualTo(401);
        sut.setUserNumbers("timed", Map.of(UserItems.FAILED_LOGINS, 0L, UserItems.LOCKED_UNTIL, 0L));
        return response.elapsed().toNanos();
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
