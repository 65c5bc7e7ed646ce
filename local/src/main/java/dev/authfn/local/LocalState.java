package dev.authfn.local;

import dev.authfn.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The small file ({@code .authfn/local-api.json}) a running {@code start-api} leaves for the admin
 * CLI: the API's URL, where its data is (the DynamoDB endpoint and the table names, or the admin
 * channel of a run on in-memory stores, whose token only this file holds). It is written readable
 * by its owner alone.
 */
final class LocalState {

    private final Path file;

    LocalState(Path file) {
        this.file = file;
    }

    /** The state file beside a template. */
    static Path besideTemplate(Path template) {
        Path dir = template.toAbsolutePath().getParent();
        return dir.resolve(".authfn").resolve("local-api.json");
    }

    /**
     * The local outbox beside a template ({@code .authfn/outbox}): where the local API's mails go
     * ({@link dev.authfn.core.mail.DirectoryOutbox}) and what {@code ./authfn mail} reads.
     */
    static Path outboxBesideTemplate(Path template) {
        return besideTemplate(template).resolveSibling("outbox");
    }

    void write(Map<String, String> values) throws IOException {
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(file, Json.write(values) + "\n", StandardCharsets.UTF_8);
    }

    /**
     * What a running local API recorded, or empty when none did, the file is unreadable, or the
     * process that wrote it is gone (a {@code start-api} killed before it could delete the file):
     * a stale file would point the CLI at an emulator that no longer answers.
     */
    Optional<Map<String, String>> read() {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            Map<String, Object> json = Json.parseObject(Files.readString(file, StandardCharsets.UTF_8)).orElse(null);
            if (json == null) {
                return Optional.empty();
            }
            Map<String, String> values = new LinkedHashMap<>();
            json.forEach((key, value) -> {
                if (value instanceof String s) {
                    values.put(key, s);
                }
            });
            if (!writerIsAlive(values.get("pid"))) {
                return Optional.empty();
            }
            return Optional.of(values);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** True when {@code pid} names a live process, or no pid was recorded (trust the file then). */
    private static boolean writerIsAlive(String pid) {
        if (pid == null) {
            return true;
        }
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A stale file only misleads the CLI until the next start-api rewrites it.
        }
    }
}
