package dev.authfn.testkit;

import static dev.authfn.testkit.SessionStoreContract.randomId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.account.MailRequest;
import dev.authfn.core.account.Outbox;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link Outbox} must do. A store's test class extends this with an empty outbox per test. */
public abstract class OutboxContract {

    private Outbox outbox;

    protected abstract Outbox newOutbox();

    @BeforeEach
    void createOutbox() {
        outbox = newOutbox();
    }

    private static MailRequest request(MailRequest.Kind kind, long secondsAfterT0) {
        return new MailRequest(randomId(), kind, "subject-" + randomId() + "@example.com",
                SessionStoreContract.T0.plusSeconds(secondsAfterT0).plusMillis(7));
    }

    @Test
    void givesBackEveryFieldOldestFirstAndEachOnce() {
        MailRequest third = request(MailRequest.Kind.PASSWORD_CHANGED, 20);
        MailRequest first = request(MailRequest.Kind.FORGOT_BY_EMAIL, 0);
        MailRequest second = request(MailRequest.Kind.VERIFY_EMAIL, 10);
        outbox.enqueue(third);
        outbox.enqueue(first);
        outbox.enqueue(second);

        assertThat(outbox.take(2)).containsExactly(first, second);
        assertThat(outbox.take(10)).containsExactly(third);
        assertThat(outbox.take(10)).isEmpty();
    }

    @Test
    void keepsEveryKind() {
        List<MailRequest> all = new ArrayList<>();
        for (MailRequest.Kind kind : MailRequest.Kind.values()) {
            MailRequest request = request(kind, all.size());
            all.add(request);
            outbox.enqueue(request);
        }

        assertThat(outbox.take(100)).containsExactlyElementsOf(all);
    }

    @Test
    void twoConcurrentTakersNeverGetTheSameRequest() {
        List<MailRequest> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            MailRequest request = request(MailRequest.Kind.RESEND_VERIFICATION, i);
            all.add(request);
            outbox.enqueue(request);
        }

        CompletableFuture<List<MailRequest>> a = CompletableFuture.supplyAsync(() -> outbox.take(20));
        CompletableFuture<List<MailRequest>> b = CompletableFuture.supplyAsync(() -> outbox.take(20));
        List<MailRequest> taken = new ArrayList<>(a.join());
        taken.addAll(b.join());
        taken.addAll(outbox.take(20));

        assertThat(taken).containsExactlyInAnyOrderElementsOf(all);
    }
}
