package dev.authfn.testkit;

import dev.authfn.core.account.MailRequest;
import dev.authfn.core.account.Outbox;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The in-memory twin of the outbox table: a queue, oldest ({@link MailRequest#createdAt}) first. */
public final class InMemoryOutbox implements Outbox {

    private final List<MailRequest> waiting = new ArrayList<>();

    @Override
    public synchronized void enqueue(MailRequest request) {
        waiting.add(request);
    }

    @Override
    public synchronized List<MailRequest> take(int max) {
        waiting.sort(Comparator.comparing(MailRequest::createdAt));
        List<MailRequest> taken = new ArrayList<>(waiting.subList(0, Math.min(max, waiting.size())));
        waiting.subList(0, taken.size()).clear();
        return taken;
    }

    /** How many requests wait; for tests. */
    public synchronized int size() {
        return waiting.size();
    }
}
