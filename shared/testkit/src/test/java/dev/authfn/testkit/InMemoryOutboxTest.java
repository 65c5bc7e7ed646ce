package dev.authfn.testkit;

import dev.authfn.core.account.Outbox;

class InMemoryOutboxTest extends OutboxContract {

    @Override
    protected Outbox newOutbox() {
        return new InMemoryOutbox();
    }
}
