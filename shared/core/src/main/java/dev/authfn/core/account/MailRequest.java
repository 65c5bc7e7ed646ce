package dev.authfn.core.account;

import java.time.Instant;
import java.util.Objects;

/**
 * A mail to be sent off the request path: what a request writes to the {@link Outbox}, the same
 * one item whether or not an account answers to {@code subject}. The mailer resolves the account,
 * makes any token and sends (or, for no account, sends nothing).
 *
 * @param subject a canonical username or a normalised address, per {@code kind}
 */
public record MailRequest(String id, Kind kind, String subject, Instant createdAt) {

    public enum Kind {
        /** After a sign-up: a verification mail to the new user ({@code subject}: username). */
        VERIFY_EMAIL("verify-email"),
        /** {@code POST /auth/email/resend} ({@code subject}: address). */
        RESEND_VERIFICATION("resend-verification"),
        /** {@code POST /auth/password/forgot} by username ({@code subject}: username). */
        FORGOT_BY_USERNAME("forgot-username"),
        /** {@code POST /auth/password/forgot} by address ({@code subject}: address). */
        FORGOT_BY_EMAIL("forgot-email"),
        /** A sign-up gave an address another user holds ({@code subject}: address). */
        REGISTRATION_ATTEMPT("registration-attempt"),
        /** The password was reset or changed ({@code subject}: username). */
        PASSWORD_CHANGED("password-changed");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static Kind fromWireName(String name) {
            for (Kind kind : values()) {
                if (kind.wireName.equals(name)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown mail request kind");
        }
    }

    public MailRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    @Override
    public String toString() {
        return "MailRequest[id=" + id + ", kind=" + kind + "]";
    }
}
