package dev.authfn.functions.mailer;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import dev.authfn.core.mail.DirectoryOutbox;
import dev.authfn.core.mail.Mail;
import dev.authfn.core.mail.MailUnavailableException;
import dev.authfn.core.mail.Mailer;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserStatus;
import dev.authfn.ses.SesMailer;
import dev.authfn.testkit.lambda.RecordingContext;
import dev.authfn.testkit.lambda.World;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mailer's handler: which stream records it reads, what it sends, and what it asks Lambda to retry. */
class MailerHandlerTest {

    private final World world = new World();
    private final List<Mail> sent = new ArrayList<>();
    private final RecordingContext context = new RecordingContext();

    @Test
    void sendsTheResetMailAnInsertedForgotRequestAsksForAndLogsOnlyTheOutcome() {
        addUser("alice", "alice@example.com");
        MailerHandler handler = handler(sent::add);

        StreamsEventResponse response = handler.handleRequest(event(insert("1", "forgot-username", "alice")), context);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(sent).singleElement().satisfies(mail -> {
            assertThat(mail.to()).isEqualTo("alice@example.com");
            assertThat(mail.text()).contains("https://app.example.com/account#reset=");
        });
        assertThat(context.events()).singleElement().satisfies(line -> {
            assertThat(line).containsEntry("event", "mail").containsEntry("outcome", "sent")
                    .containsEntry("reason", "forgot-username:SENT");
            assertThat(line.toString()).doesNotContain("alice@example.com").doesNotContain("#reset=");
        });
    }

    @Test
    void sendsNothingForAnUnknownAccountAndSaysSoInTheReasonCode() {
        StreamsEventResponse response = handler(sent::add)
                .handleRequest(event(insert("1", "forgot-email", "nobody@example.com")), context);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(sent).isEmpty();
        assertThat(context.events()).singleElement().satisfies(line -> assertThat(line)
                .containsEntry("outcome", "not_sent").containsEntry("reason", "forgot-email:NO_ACCOUNT"));
    }

    @Test
    void skipsRecordsThatAreNotOutboxInsertsWithoutRetryingThem() {
        DynamodbEvent.DynamodbStreamRecord removed = insert("1", "forgot-username", "alice");
        removed.setEventName("REMOVE");
        DynamodbEvent.DynamodbStreamRecord unknownKind = insert("2", "no-such-kind", "alice");

        StreamsEventResponse response = handler(sent::add).handleRequest(event(removed, unknownKind), context);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(sent).isEmpty();
        assertThat(context.events()).hasSize(2).allSatisfy(line -> assertThat(line)
                .containsEntry("outcome", "skipped").containsEntry("reason", "NOT_AN_OUTBOX_INSERT"));
    }

    @Test
    void reportsTheFirstRecordSesRefusedAndLeavesTheRestOfTheBatchToTheRetry() {
        addUser("alice", "alice@example.com");
        MailerHandler handler = handler(mail -> {
            throw new MailUnavailableException("SES SendEmail did not complete: SdkClientException");
        });

        StreamsEventResponse response = handler.handleRequest(event(insert("41", "forgot-username", "alice"),
                insert("42", "forgot-username", "alice")), context);

        assertThat(response.getBatchItemFailures()).extracting(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("41");
        assertThat(context.events()).singleElement().satisfies(line -> assertThat(line)
                .containsEntry("outcome", "error").containsEntry("reason", "MAIL_UNAVAILABLE"));
    }

    @Test
    void skipsARequestThatCanNeverBeSentAndGoesOnWithTheBatch() {
        addUser("alice", "alice@example.com");
        addUser("bob", "bob@example.com");
        MailerHandler handler = handler(mail -> {
            if (mail.to().startsWith("alice")) {
                throw new IllegalArgumentException("not a mail address: alice@example.com");
            }
            sent.add(mail);
        });

        StreamsEventResponse response = handler.handleRequest(event(insert("1", "forgot-username", "alice"),
                insert("2", "forgot-username", "bob")), context);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(sent).extracting(Mail::to).containsExactly("bob@example.com");
        assertThat(context.events()).first().satisfies(line -> {
            assertThat(line).containsEntry("outcome", "skipped")
                    .containsEntry("reason", "UNSENDABLE:IllegalArgumentException");
            assertThat(line.toString()).doesNotContain("alice@example.com");
        });
    }

    @Test
    void writesIntoTheDirectoryTheLocalApiNamesAndOtherwiseSendsThroughSes(@TempDir Path directory) {
        assertThat(MailerHandler.transport(Map.of(MailerHandler.ENV_MAIL_OUTBOX, directory.toString())))
                .isInstanceOf(DirectoryOutbox.class);
        assertThat(MailerHandler.transport(Map.of("AUTHFN_MAIL_FROM", "authfn@example.com", "AWS_REGION", "eu-west-1",
                "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test"))).isInstanceOf(SesMailer.class);
    }

    private MailerHandler handler(Mailer mailer) {
        return new MailerHandler(world.components(Map.of("AUTHFN_MAIL_LINK_BASE", "https://app.example.com/account")),
                mailer);
    }

    private void addUser(String username, String email) {
        User user = new User(username, "id-" + username, world.hasher.hash("a long passphrase here"), Set.of(), Set.of(),
                UserStatus.ACTIVE, 0, Instant.EPOCH, 0, email, true);
        assertThat(world.users.create(user)).isTrue();
    }

    private DynamodbEvent.DynamodbStreamRecord insert(String sequence, String kind, String subject) {
        StreamRecord stream = new StreamRecord();
        stream.setSequenceNumber(sequence);
        stream.setNewImage(Map.of(
                "id", new AttributeValue().withS("request-" + sequence),
                "kind", new AttributeValue().withS(kind),
                "subject", new AttributeValue().withS(subject),
                "createdAt", new AttributeValue().withN(Long.toString(world.clock.instant().toEpochMilli()))));
        DynamodbEvent.DynamodbStreamRecord record = new DynamodbEvent.DynamodbStreamRecord();
        record.setEventName("INSERT");
        record.setDynamodb(stream);
        return record;
    }

    private static DynamodbEvent event(DynamodbEvent.DynamodbStreamRecord... records) {
        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(List.of(records));
        return event;
    }
}
