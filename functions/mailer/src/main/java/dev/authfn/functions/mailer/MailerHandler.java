package dev.authfn.functions.mailer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import dev.authfn.auth.Components;
import dev.authfn.auth.MailerService;
import dev.authfn.core.StoreUnavailableException;
import dev.authfn.core.account.MailRequest;
import dev.authfn.core.config.AuthfnConfig.Requirement;
import dev.authfn.core.mail.DirectoryOutbox;
import dev.authfn.core.mail.MailUnavailableException;
import dev.authfn.core.mail.Mailer;
import dev.authfn.lambda.AuditLog;
import dev.authfn.ses.SesMailer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Sends the account mails (docs/API.md §15.8), off the request path: the outbox table's stream
 * (new images of inserted items) invokes this function with a batch; each request is resolved and
 * mailed by {@link MailerService}. A record that could not be handled for a passing reason (SES
 * or DynamoDB unavailable) is reported in {@code batchItemFailures}, so Lambda retries from it
 * (the event source mapping has {@code ReportBatchItemFailures}); a record that can never be
 * handled (not an outbox item) is logged and skipped. Nothing about the account, the address or
 * a token is logged: the reason code says what became of the request.
 */
public final class MailerHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {

    /** Locally: write mails into this directory instead of sending them (the local API sets it). */
    public static final String ENV_MAIL_OUTBOX = "AUTHFN_MAIL_OUTBOX";

    static final Set<Requirement> REQUIRED = EnumSet.of(Requirement.USERS_TABLE, Requirement.SESSIONS_TABLE);

    private final MailerService mailer;

    /** Lambda's constructor: the root from the process environment. */
    public MailerHandler() {
        this(Components.fromEnvironment(System.getenv(), REQUIRED));
    }

    /** The handler over a root built elsewhere (the local API, tests), sending as its environment says. */
    public MailerHandler(Components components) {
        this(components, transport(components.environment()));
    }

    MailerHandler(Components components, Mailer transport) {
        components.require(REQUIRED);
        this.mailer = components.mailerService(transport);
    }

    /** A local outbox directory when one is named, else SES (whose sender is checked now). */
    static Mailer transport(Map<String, String> environment) {
        String directory = environment.get(ENV_MAIL_OUTBOX);
        if (directory != null && !directory.isBlank()) {
            return new DirectoryOutbox(Path.of(directory));
        }
        return SesMailer.fromEnvironment(environment);
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
        if (event == null || event.getRecords() == null) {
            return new StreamsEventResponse(failures);
        }
        for (DynamodbEvent.DynamodbStreamRecord record : event.getRecords()) {
            if (!failures.isEmpty()) {
                // Lambda retries from the first failure on; the rest of the batch comes again.
                break;
            }
            Optional<MailRequest> request = request(record);
            if (request.isEmpty()) {
                AuditLog.event("mail").outcome("skipped").reason("NOT_AN_OUTBOX_INSERT").warn(context);
                continue;
            }
            try {
                MailerService.Result result = mailer.handle(request.get());
                AuditLog.event("mail").outcome(result == MailerService.Result.SENT ? "sent" : "not_sent")
                        .reason(request.get().kind().wireName() + ":" + result.name()).info(context);
            } catch (MailUnavailableException | StoreUnavailableException e) {
                AuditLog.event("mail").outcome("error")
                        .reason(e instanceof MailUnavailableException ? "MAIL_UNAVAILABLE" : "STORE_UNAVAILABLE")
                        .error(context);
                failures.add(new StreamsEventResponse.BatchItemFailure(record.getDynamodb().getSequenceNumber()));
            } catch (RuntimeException e) {
                // A request that can never be sent (it would fail the same way on every retry) is
                // skipped, so it cannot hold up the batch; the message is not logged (it may name
                // the address).
                AuditLog.event("mail").outcome("skipped").reason("UNSENDABLE:" + e.getClass().getSimpleName())
                        .error(context);
            }
        }
        return new StreamsEventResponse(failures);
    }

    /** The outbox item an INSERT record carries, or empty for anything else. */
    static Optional<MailRequest> request(DynamodbEvent.DynamodbStreamRecord record) {
        if (record == null || !"INSERT".equals(record.getEventName()) || record.getDynamodb() == null
                || record.getDynamodb().getNewImage() == null) {
            return Optional.empty();
        }
        Map<String, AttributeValue> image = record.getDynamodb().getNewImage();
        try {
            return Optional.of(new MailRequest(text(image, "id"), MailRequest.Kind.fromWireName(text(image, "kind")),
                    text(image, "subject"), Instant.ofEpochMilli(Long.parseLong(image.get("createdAt").getN()))));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String text(Map<String, AttributeValue> image, String name) {
        AttributeValue value = image.get(name);
        if (value == null || value.getS() == null) {
            throw new IllegalArgumentException("missing " + name);
        }
        return value.getS();
    }
}
