package dev.authfn.core.account;

import java.util.List;

/**
 * Where requests leave mails to be sent: one write per request, the same write whatever the
 * account. In production a table whose stream drives the mailer function; locally the local API
 * drains it ({@link #take}) and invokes the mailer with the same event.
 */
public interface Outbox {

    void enqueue(MailRequest request);

    /**
     * Removes and returns up to {@code max} waiting requests, oldest first. For the local API's
     * mail driver and tests; production reads the table's stream instead.
     */
    List<MailRequest> take(int max);
}
