package dev.authfn.core.config;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How accounts are opened and recovered (docs/API.md §15): the sign-up mode, the lifetimes of the
 * tokens mails carry, how many mails one address may get per hour, and what the mails say.
 *
 * @param linkBase the page a mail links to (it posts the token from the URL fragment); empty
 *     when this function sends no mail
 */
public record AccountSettings(
        SignupMode signup,
        Duration verificationTokenTtl,
        Duration resetTokenTtl,
        int mailsPerAddressPerHour,
        String siteName,
        Optional<URI> linkBase) {

    public static final AccountSettings DEFAULT = new AccountSettings(SignupMode.CLOSED, Duration.ofHours(24),
            Duration.ofMinutes(30), 5, "authfn", Optional.empty());

    /** Who may open an account. */
    public enum SignupMode {
        /** Only the admin CLI adds users; {@code POST /auth/register} answers 404. */
        CLOSED,
        /** Anyone may sign up and log in at once; the address is verified when its owner follows the mail. */
        OPEN,
        /** Anyone may sign up; the account cannot log in until its address is verified. */
        VERIFIED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public AccountSettings {
        Objects.requireNonNull(signup, "signup");
        Objects.requireNonNull(verificationTokenTtl, "verificationTokenTtl");
        Objects.requireNonNull(resetTokenTtl, "resetTokenTtl");
        if (mailsPerAddressPerHour < 1) {
            throw new IllegalArgumentException("mailsPerAddressPerHour must be at least 1");
        }
        Objects.requireNonNull(siteName, "siteName");
        Objects.requireNonNull(linkBase, "linkBase");
    }
}
