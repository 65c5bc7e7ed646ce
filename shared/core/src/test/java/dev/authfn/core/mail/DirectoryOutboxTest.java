package dev.authfn.core.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authfn.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryOutboxTest {

    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00.123456789Z");
    private static final Mail MAIL = new Mail("alice@example.com", "Confirm your email address for Example",
            "Hello alice,\n\nhttp://127.0.0.1:3000/#verify=q3Jx9dT0_aZ-4bLm7NcVwA\n",
            "<p>Hello &lt;alice&gt; é 🔑</p>\n<a href=\"http://127.0.0.1:3000/#verify=q3Jx9dT0_aZ-4bLm7NcVwA\">x</a>");

    @TempDir
    Path temp;

    @Test
    void keepsAMailAsOneJsonFileAndReadsItBack() throws IOException {
        Path dir = temp.resolve(".authfn").resolve("outbox");
        DirectoryOutbox outbox = new DirectoryOutbox(dir, Clock.fixed(NOW, ZoneOffset.UTC));

        outbox.send(MAIL);

        List<StoredMail> mails = outbox.list();
        assertThat(mails).hasSize(1);
        StoredMail stored = mails.get(0);
        assertThat(stored.id()).matches("20250301T120000\\.123456789Z-[0-9a-f]{8}");
        assertThat(stored.sentAt()).isEqualTo(NOW);
        assertThat(stored.mail()).isEqualTo(MAIL);
        assertThat(outbox.get(stored.id())).contains(stored);

        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(file -> file.getFileName().toString())).containsExactly(stored.id() + ".json");
        }
        Map<String, Object> json = Json.parseObject(Files.readString(dir.resolve(stored.id() + ".json"))).orElseThrow();
        assertThat(json).containsExactly(Map.entry("to", MAIL.to()), Map.entry("subject", MAIL.subject()),
                Map.entry("text", MAIL.text()), Map.entry("html", MAIL.html()),
                Map.entry("sent_at", "2025-03-01T12:00:00.123456789Z"));
        assertThat(outbox.dir()).isEqualTo(dir);
    }

    @Test
    void listsOldestFirstAndIdsSortByTimeEvenWhenTheClockStandsStill() {
        DirectoryOutbox outbox = new DirectoryOutbox(temp, Clock.fixed(NOW, ZoneOffset.UTC));

        for (int i = 0; i < 5; i++) {
            outbox.send(new Mail("user" + i + "@example.com", "Mail " + i, "t", "h"));
        }

        List<StoredMail> mails = outbox.list();
        assertThat(mails).extracting(mail -> mail.mail().subject())
                .containsExactly("Mail 0", "Mail 1", "Mail 2", "Mail 3", "Mail 4");
        assertThat(mails).extracting(StoredMail::sentAt).containsExactly(NOW, NOW.plusNanos(1), NOW.plusNanos(2),
                NOW.plusNanos(3), NOW.plusNanos(4));
        assertThat(mails).extracting(StoredMail::id).isSorted();
    }

    @Test
    void ordersByTheClockAcrossOutboxesOnOneDirectory() {
        MutableClock clock = new MutableClock(NOW);
        DirectoryOutbox first = new DirectoryOutbox(temp, clock);
        DirectoryOutbox second = new DirectoryOutbox(temp, clock);

        second.send(new Mail("b@example.com", "B", "t", "h"));
        clock.now = NOW.minusSeconds(3600);
        first.send(new Mail("a@example.com", "A", "t", "h"));
        clock.now = NOW.plusSeconds(1);
        first.send(new Mail("c@example.com", "C", "t", "h"));

        assertThat(new DirectoryOutbox(temp).list()).extracting(mail -> mail.mail().subject())
                .containsExactly("A", "B", "C");
    }

    @Test
    void twoWritersAtTheSameInstantKeepBothMails() {
        // Two processes (the local API, a test) writing at one instant: the random suffix keeps the names apart.
        Clock stopped = Clock.fixed(NOW, ZoneOffset.UTC);
        new DirectoryOutbox(temp, stopped).send(new Mail("a@example.com", "A", "t", "h"));
        new DirectoryOutbox(temp, stopped).send(new Mail("b@example.com", "B", "t", "h"));

        List<StoredMail> mails = new DirectoryOutbox(temp).list();
        assertThat(mails).extracting(mail -> mail.mail().subject()).containsExactlyInAnyOrder("A", "B");
        assertThat(mails).extracting(StoredMail::sentAt).containsExactly(NOW, NOW);
    }

    @Test
    void aClockThatStepsBackStillGivesIncreasingIdsInOneOutbox() {
        MutableClock clock = new MutableClock(NOW);
        DirectoryOutbox outbox = new DirectoryOutbox(temp, clock);

        outbox.send(new Mail("a@example.com", "A", "t", "h"));
        clock.now = NOW.minusSeconds(10);
        outbox.send(new Mail("b@example.com", "B", "t", "h"));

        assertThat(outbox.list()).extracting(StoredMail::sentAt).containsExactly(NOW, NOW.plusNanos(1));
    }

    @Test
    void filesAndTheDirectoryAreTheOwnersAlone() throws IOException {
        Path dir = temp.resolve("outbox");
        DirectoryOutbox outbox = new DirectoryOutbox(dir);

        outbox.send(MAIL);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        Path file = dir.resolve(outbox.list().get(0).id() + ".json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void concurrentWritersLoseNoMailAndLeaveNoTemporaryFile() throws Exception {
        DirectoryOutbox outbox = new DirectoryOutbox(temp);
        int writers = 8;
        int each = 25;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        outbox.send(new Mail("w" + writer + "@example.com", "Mail " + writer + "-" + i, "t" + i, "h"));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }

        List<StoredMail> mails = outbox.list();
        assertThat(mails).hasSize(writers * each);
        Set<String> subjects = new HashSet<>();
        mails.forEach(mail -> subjects.add(mail.mail().subject()));
        assertThat(subjects).hasSize(writers * each);
        assertThat(mails).extracting(StoredMail::sentAt).isSorted().doesNotHaveDuplicates();
        for (int w = 0; w < writers; w++) {
            String to = "w" + w + "@example.com";
            // One writer's mails keep their order.
            assertThat(mails.stream().filter(mail -> mail.mail().to().equals(to)).map(mail -> mail.mail().text()))
                    .containsExactly(Stream.iterate(0, i -> i + 1).limit(each).map(i -> "t" + i).toArray(String[]::new));
        }
        try (Stream<Path> files = Files.list(temp)) {
            assertThat(files.map(file -> file.getFileName().toString())).allMatch(name -> !name.startsWith("."))
                    .hasSize(writers * each);
        }
    }

    @Test
    void anEmptyOrMissingOutboxListsNothing() {
        assertThat(new DirectoryOutbox(temp.resolve("never-made")).list()).isEmpty();
        assertThat(new DirectoryOutbox(temp).list()).isEmpty();
        assertThat(new DirectoryOutbox(temp.resolve("never-made")).clear()).isZero();
    }

    @Test
    void getReadsNothingOutsideTheOutboxAndNothingThatIsNotAnId() throws IOException {
        Path dir = Files.createDirectories(temp.resolve("outbox"));
        Files.writeString(temp.resolve("secret.json"), "{\"to\":\"a@example.com\"}");
        DirectoryOutbox outbox = new DirectoryOutbox(dir);

        assertThat(outbox.get("../secret")).isEmpty();
        assertThat(outbox.get("20250301T120000.123456789Z-0000000/../../secret")).isEmpty();
        assertThat(outbox.get("20250301T120000.123456789Z-00000000")).isEmpty();
        assertThat(outbox.get("20250301T120000.123456789Z-0000000G")).isEmpty();
        assertThat(outbox.get(null)).isEmpty();
    }

    @Test
    void skipsFilesThatAreNotMails() throws IOException {
        DirectoryOutbox outbox = new DirectoryOutbox(temp, Clock.fixed(NOW, ZoneOffset.UTC));
        outbox.send(MAIL);
        String good = outbox.list().get(0).id();
        Files.writeString(temp.resolve("20250301T110000.000000000Z-00000001.json"), "not json");
        Files.writeString(temp.resolve("20250301T110000.000000000Z-00000002.json"),
                "{\"to\":\"a@example.com\",\"subject\":\"s\",\"text\":\"t\",\"html\":\"h\"}");
        Files.writeString(temp.resolve("20250301T110000.000000000Z-00000003.json"),
                "{\"to\":\"a@example.com\",\"subject\":\"s\",\"text\":\"t\",\"html\":\"h\",\"sent_at\":\"yesterday\"}");
        Files.writeString(temp.resolve("20250301T110000.000000000Z-00000004.json"),
                "{\"to\":\"not an address\",\"subject\":\"s\",\"text\":\"t\",\"html\":\"h\",\"sent_at\":\"2025-03-01T11:00:00Z\"}");
        Files.writeString(temp.resolve("20250301T110000.000000000Z-00000005.json"),
                "{\"to\":\"a@example.com\",\"subject\":1,\"text\":\"t\",\"html\":\"h\",\"sent_at\":\"2025-03-01T11:00:00Z\"}");
        Files.writeString(temp.resolve("20250301T110000.000000000Z-00000006.json"),
                "{\"to\":\"a@example.com\",\"subject\":\"s\",\"text\":[],\"html\":\"h\",\"sent_at\":\"2025-03-01T11:00:00Z\"}");
        Files.writeString(temp.resolve("20250301T110000.000000000Z-00000007.json"),
                "{\"to\":\"a@example.com\",\"subject\":\"s\",\"text\":\"t\",\"html\":null,\"sent_at\":\"2025-03-01T11:00:00Z\"}");
        Files.writeString(temp.resolve("20250301T110000.000000000Z-00000008.json"),
                "{\"subject\":\"s\",\"text\":\"t\",\"html\":\"h\",\"sent_at\":\"2025-03-01T11:00:00Z\"}");
        Files.writeString(temp.resolve(".tmp-123.json"), "{}");
        Files.writeString(temp.resolve("notes.txt"), "hello");
        Files.writeString(temp.resolve("other.json"), "{}");
        Files.createDirectory(temp.resolve("20250301T100000.000000000Z-0000000a.json.d"));

        assertThat(outbox.list()).extracting(StoredMail::id).containsExactly(good);
        assertThat(outbox.get("20250301T110000.000000000Z-00000001")).isEmpty();
        assertThat(outbox.get("20250301T110000.000000000Z-00000004")).isEmpty();
    }

    @Test
    void aWellFormedForeignFileIsListedInItsPlace() throws IOException {
        DirectoryOutbox outbox = new DirectoryOutbox(temp, Clock.fixed(NOW, ZoneOffset.UTC));
        outbox.send(MAIL);
        Files.writeString(temp.resolve("20250301T110000.000000000Z-00000009.json"),
                "{\"to\":\"b@example.com\",\"subject\":\"Earlier\",\"text\":\"t\",\"html\":\"h\","
                        + "\"sent_at\":\"2025-03-01T11:00:00Z\"}");

        assertThat(outbox.list()).extracting(mail -> mail.mail().subject())
                .containsExactly("Earlier", MAIL.subject());
        assertThat(outbox.get("20250301T110000.000000000Z-00000009").orElseThrow().sentAt())
                .isEqualTo(Instant.parse("2025-03-01T11:00:00Z"));
    }

    @Test
    void clearDeletesEveryMailAndOnlyMails() throws IOException {
        DirectoryOutbox outbox = new DirectoryOutbox(temp);
        outbox.send(MAIL);
        outbox.send(MAIL);
        outbox.send(MAIL);
        Files.writeString(temp.resolve("notes.txt"), "hello");

        assertThat(outbox.clear()).isEqualTo(3);

        assertThat(outbox.list()).isEmpty();
        try (Stream<Path> files = Files.list(temp)) {
            assertThat(files.map(file -> file.getFileName().toString())).containsExactly("notes.txt");
        }
        assertThat(outbox.clear()).isZero();
    }

    @Test
    void aDirectoryThatCannotBeMadeIsMailUnavailableWithoutTheBody() throws IOException {
        Path file = Files.writeString(temp.resolve("a-file"), "in the way");
        DirectoryOutbox outbox = new DirectoryOutbox(file.resolve("outbox"));

        assertThatThrownBy(() -> outbox.send(MAIL))
                .isInstanceOf(MailUnavailableException.class)
                .hasMessage("could not write a mail to the outbox " + file.resolve("outbox")
                        + " (FileSystemException)")
                .hasMessageNotContaining("verify=");
    }

    @Test
    void aListingThatFailsIsReportedNotHidden() throws IOException {
        Path file = Files.writeString(temp.resolve("not-a-directory"), "x");

        assertThatThrownBy(() -> new DirectoryOutbox(file).list()).isInstanceOf(UncheckedIOException.class)
                .hasMessage("could not list the outbox " + file);
    }

    /** A clock the test moves. */
    private static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
