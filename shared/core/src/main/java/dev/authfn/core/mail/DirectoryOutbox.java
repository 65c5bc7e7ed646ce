package dev.authfn.core.mail;

import dev.authfn.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * A {@link Mailer} that keeps each mail as one JSON file in a directory, for local use: the
 * local API's mails land here and {@code ./authfn mail} reads them. A file holds
 * {@code {"to","subject","text","html","sent_at"}} and is named {@code <id>.json}, where the id is
 * the UTC time of writing to the nanosecond and a random suffix
 * ({@code 20250301T120000.000000123Z-1a2b3c4d}), so that names sort by time. Each file is written
 * to a temporary name and moved into place atomically, so a reader never sees half a mail;
 * where the file system is POSIX, the directory is {@code rwx------} and files {@code rw-------}
 * (the bodies hold tokens).
 */
public final class DirectoryOutbox implements Mailer {

    private static final String SUFFIX = ".json";
    private static final Pattern ID = Pattern.compile("\\d{8}T\\d{6}\\.\\d{9}Z-[0-9a-f]{8}");
    private static final DateTimeFormatter ID_TIME =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss.nnnnnnnnn'Z'").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final Clock clock;
    /** The last time an id was made from, so that ids from one outbox strictly increase. */
    private final AtomicReference<Instant> last = new AtomicReference<>(Instant.MIN);

    public DirectoryOutbox(Path dir) {
        this(dir, Clock.systemUTC());
    }

    /** As {@link #DirectoryOutbox(Path)}, with the clock that stamps the mails. */
    public DirectoryOutbox(Path dir, Clock clock) {
        this.dir = Objects.requireNonNull(dir, "dir");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Path dir() {
        return dir;
    }

    /**
     * Writes {@code mail} as a new file.
     *
     * @throws MailUnavailableException when the directory cannot be made or written; the message
     *     names the directory, not the mail
     */
    @Override
    public void send(Mail mail) {
        Objects.requireNonNull(mail, "mail");
        Instant sentAt = nextInstant();
        String id = ID_TIME.format(sentAt) + "-" + HexFormat.of().formatHex(randomBytes());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("to", mail.to());
        json.put("subject", mail.subject());
        json.put("text", mail.text());
        json.put("html", mail.html());
        json.put("sent_at", sentAt.toString());
        try {
            createDirectory();
            Path temp = posix() ? Files.createTempFile(dir, ".tmp-", SUFFIX, ownerOnly("rw-------"))
                    : Files.createTempFile(dir, ".tmp-", SUFFIX);
            try {
                Files.writeString(temp, Json.write(json) + "\n", StandardCharsets.UTF_8);
                move(temp, dir.resolve(id + SUFFIX));
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException | UncheckedIOException e) {
            throw new MailUnavailableException("could not write a mail to the outbox " + dir + " ("
                    + e.getClass().getSimpleName() + ")", e);
        }
    }

    /** Every readable mail, oldest first; an empty list when the directory does not exist. */
    public List<StoredMail> list() {
        List<String> ids = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                String id = name.substring(0, name.length() - SUFFIX.length());
                if (ID.matcher(id).matches()) {
                    ids.add(id);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("could not list the outbox " + dir, e);
        }
        ids.sort(null);
        List<StoredMail> mails = new ArrayList<>(ids.size());
        for (String id : ids) {
            get(id).ifPresent(mails::add);
        }
        return List.copyOf(mails);
    }

    /**
     * The mail of {@code id}; empty when there is none, the id is not an outbox id (so no path
     * outside the directory is ever read), or the file does not hold a mail.
     */
    public Optional<StoredMail> get(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            return Optional.empty();
        }
        String content;
        try {
            content = Files.readString(dir.resolve(id + SUFFIX), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read mail " + id + " from the outbox " + dir, e);
        }
        return Json.parseObject(content).flatMap(json -> parse(id, json));
    }

    /** Deletes every mail; returns how many there were. */
    public int clear() {
        int deleted = 0;
        for (StoredMail mail : list()) {
            try {
                if (Files.deleteIfExists(dir.resolve(mail.id() + SUFFIX))) {
                    deleted++;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not delete mail " + mail.id() + " from the outbox " + dir, e);
            }
        }
        return deleted;
    }

    private static Optional<StoredMail> parse(String id, Map<String, Object> json) {
        if (!(json.get("to") instanceof String to) || !(json.get("subject") instanceof String subject)
                || !(json.get("text") instanceof String text) || !(json.get("html") instanceof String html)
                || !(json.get("sent_at") instanceof String sentAt)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new StoredMail(id, Instant.parse(sentAt), new Mail(to, subject, text, html)));
        } catch (DateTimeParseException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The clock's time, or a nanosecond after the last id's when the clock has not moved on. */
    private Instant nextInstant() {
        Instant now = clock.instant();
        return last.updateAndGet(previous -> now.isAfter(previous) ? now : previous.plusNanos(1));
    }

    private void createDirectory() throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (posix()) {
            Files.createDirectories(dir, ownerOnly("rwx------"));
        } else {
            Files.createDirectories(dir);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    private boolean posix() {
        return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static FileAttribute<?> ownerOnly(String permissions) {
        return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions));
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[4];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
