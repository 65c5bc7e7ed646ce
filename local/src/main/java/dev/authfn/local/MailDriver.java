package dev.authfn.local;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import dev.authfn.core.account.MailRequest;
import dev.authfn.core.account.Outbox;
import dev.authfn.local.runtime.HostedFunction;
import dev.authfn.local.runtime.InvocationException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the outbox table's stream does in AWS, locally: after each invocation of a function that
 * writes the outbox ({@link #nudge}), takes the waiting mail requests and invokes the mailer
 * function with them as a batch of stream INSERT records (new images), as Lambda's event source
 * mapping would. It reads the outbox only when nudged, so a run that never calls the account
 * routes makes no outbox request (the fault tests count DynamoDB requests). A request the mailer
 * reports as failed is put back and tried again, after {@value #RETRY_MILLIS} ms.
 */
final class MailDriver implements AutoCloseable {

    static final long RETRY_MILLIS = 1000;
    private static final int BATCH = 10;

    private final Outbox outbox;
    private final HostedFunction mailer;
    private final PrintStream log;
    private final AtomicLong sequence = new AtomicLong();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "authfn-mail-driver");
        thread.setDaemon(true);
        return thread;
    });

    MailDriver(Outbox outbox, HostedFunction mailer, PrintStream log) {
        this.outbox = outbox;
        this.mailer = mailer;
        this.log = log;
    }

    /** Delivers what waits, soon, on the driver's thread. */
    void nudge() {
        if (!executor.isShutdown()) {
            executor.execute(this::drainSafely);
        }
    }

    private void drainSafely() {
        try {
            drain();
        } catch (RuntimeException e) {
            log.println("authfn: mail driver: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** One round: every waiting request, in batches; a failed one is tried again later. */
    synchronized void drain() {
        List<MailRequest> batch;
        while (!(batch = outbox.take(BATCH)).isEmpty()) {
            List<DynamodbEvent.DynamodbStreamRecord> records = new ArrayList<>();
            Map<String, MailRequest> bySequence = new java.util.HashMap<>();
            for (MailRequest request : batch) {
                String number = Long.toString(sequence.incrementAndGet());
                bySequence.put(number, request);
                records.add(record(request, number));
            }
            DynamodbEvent event = new DynamodbEvent();
            event.setRecords(records);
            Object response;
            try {
                response = mailer.invoke(event);
            } catch (InvocationException e) {
                log.println("authfn: mailer failed: " + e.getMessage());
                batch.forEach(outbox::enqueue);
                retryLater();
                return;
            }
            if (response instanceof com.amazonaws.services.lambda.runtime.events.StreamsEventResponse streams
                    && streams.getBatchItemFailures() != null && !streams.getBatchItemFailures().isEmpty()) {
                // Lambda retries from the first failed record on: put those back for the next round.
                long first = Long.parseLong(streams.getBatchItemFailures().get(0).getItemIdentifier());
                bySequence.forEach((number, request) -> {
                    if (Long.parseLong(number) >= first) {
                        outbox.enqueue(request);
                    }
                });
                retryLater();
                return;
            }
        }
    }

    private void retryLater() {
        if (!executor.isShutdown()) {
            executor.schedule(this::drainSafely, RETRY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private static DynamodbEvent.DynamodbStreamRecord record(MailRequest request, String sequenceNumber) {
        StreamRecord stream = new StreamRecord();
        stream.setSequenceNumber(sequenceNumber);
        stream.setStreamViewType(com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType.NEW_IMAGE);
        stream.setKeys(Map.of("id", new AttributeValue().withS(request.id())));
        stream.setNewImage(Map.of(
                "id", new AttributeValue().withS(request.id()),
                "kind", new AttributeValue().withS(request.kind().wireName()),
                "subject", new AttributeValue().withS(request.subject()),
                "createdAt", new AttributeValue().withN(Long.toString(request.createdAt().toEpochMilli()))));
        DynamodbEvent.DynamodbStreamRecord record = new DynamodbEvent.DynamodbStreamRecord();
        record.setEventName("INSERT");
        record.setEventSource("aws:dynamodb");
        record.setDynamodb(stream);
        return record;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
