package dev.authfn.local;

import java.util.Map;
import java.util.Objects;

/**
 * The names a local run gives the template's two tables. {@code ./authfn start-api} uses
 * {@link #DEFAULT} (the admin CLI finds them in {@code .authfn/local-api.json}); tests that share
 * one DynamoDB API across test classes, or run against LocalStack or AWS, give each API tables
 * of its own ({@link #withPrefix}).
 *
 * @param sessions the name of the template's {@code SessionsTable}
 * @param users the name of the template's {@code UsersTable}
 * @param outbox the name of the template's {@code OutboxTable}
 */
public record LocalTables(String sessions, String users, String outbox) {

    /** What {@code ./authfn start-api} calls them. */
    public static final LocalTables DEFAULT = new LocalTables("SessionsTable", "UsersTable", "OutboxTable");

    public LocalTables {
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(users, "users");
        Objects.requireNonNull(outbox, "outbox");
    }

    /** {@code <prefix>-sessions}, {@code <prefix>-users} and {@code <prefix>-outbox}. */
    public static LocalTables withPrefix(String prefix) {
        return new LocalTables(prefix + "-sessions", prefix + "-users", prefix + "-outbox");
    }

    /** The names by the template's logical ids. */
    Map<String, String> byLogicalId() {
        return Map.of("SessionsTable", sessions, "UsersTable", users, "OutboxTable", outbox);
    }
}
