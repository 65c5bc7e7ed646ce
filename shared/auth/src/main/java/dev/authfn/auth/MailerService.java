package dev.authfn.auth;

import dev.authfn.core.account.AccountStore;
import dev.authfn.core.account.MailRequest;
import dev.authfn.core.account.MailToken;
import dev.authfn.core.account.StoredToken;
import dev.authfn.core.config.AccountSettings;
import dev.authfn.core.mail.Mail;
import dev.authfn.core.mail.MailTemplates;
import dev.authfn.core.mail.Mailer;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserStatus;
import dev.authfn.core.user.UserStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The mailer's side of the account routes, off the request path (docs/API.md §15.8): resolves the
 * account a {@link MailRequest} is about, makes a token when the mail carries one, counts the mail
 * against the address's hourly limit, and sends. What it finds (no account, a disabled one, an
 * address already verified) decides only whether a mail goes out, never an answer a client sees.
 */
public final class MailerService {

    /** What became of a request; the audit log's reason code. */
    public enum Result {
        SENT,
        NO_ACCOUNT,
        NO_ADDRESS,
        DISABLED,
        ALREADY_VERIFIED,
        RATE_LIMITED,
        /** Older than {@link #MAX_AGE}: a link mailed that late would confuse more than help. */
        STALE,
        /** The account changed while the token was made (it was re-created or removed). */
        ACCOUNT_CHANGED
    }

    /** Requests older than this are dropped, not sent. */
    static final Duration MAX_AGE = Duration.ofHours(1);

    private final UserStore users;
    private final AccountStore accounts;
    private final Mailer mailer;
    private final MailTemplates templates;
    private final AccountSettings settings;
    private final SecureRandom random;
    private final Clock clock;

    MailerService(UserStore users, AccountStore accounts, Mailer mailer, MailTemplates templates,
            AccountSettings settings, SecureRandom random, Clock clock) {
        this.users = Objects.requireNonNull(users, "users");
        this.accounts = Objects.requireNonNull(accounts, "accounts");
        this.mailer = Objects.requireNonNull(mailer, "mailer");
        this.templates = Objects.requireNonNull(templates, "templates");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @throws dev.authfn.core.mail.MailUnavailableException when the mail could not be sent (the
     *     trigger retries; a retried reset mail carries a new token, which voids this one's)
     * @throws dev.authfn.core.StoreUnavailableException when a store cannot answer
     */
    public Result handle(MailRequest request) {
        Instant now = clock.instant();
        if (Duration.between(request.createdAt(), now).compareTo(MAX_AGE) > 0) {
            return Result.STALE;
        }
        return switch (request.kind()) {
            case VERIFY_EMAIL -> verification(users.get(request.subject()), now);
            case RESEND_VERIFICATION -> verification(accounts.findByEmail(request.subject()), now);
            case FORGOT_BY_USERNAME -> reset(users.get(request.subject()), now);
            case FORGOT_BY_EMAIL -> reset(accounts.findByEmail(request.subject()), now);
            case REGISTRATION_ATTEMPT -> send("attempt", request.subject(), templates.registrationAttempt(request.subject()),
                    now);
            case PASSWORD_CHANGED -> users.get(request.subject()).filter(User::hasEmail)
                    .map(user -> send("notice", user.email(), templates.passwordChanged(user.email(), user.username()), now))
                    .orElse(Result.NO_ACCOUNT);
        };
    }

    private Result verification(Optional<User> found, Instant now) {
        Optional<Result> unfit = unfit(found);
        if (unfit.isPresent()) {
            return unfit.get();
        }
        User user = found.get();
        if (user.emailVerified()) {
            return Result.ALREADY_VERIFIED;
        }
        if (!accounts.countMail("verify:" + user.email(), now, settings.mailsPerAddressPerHour())) {
            return Result.RATE_LIMITED;
        }
        Duration ttl = settings.verificationTokenTtl();
        Optional<MailToken> token = issue(user, MailToken.Kind.VERIFY_EMAIL, ttl, now);
        if (token.isEmpty()) {
            return Result.ACCOUNT_CHANGED;
        }
        mailer.send(templates.verifyEmail(user.email(), user.username(), token.get().value(), ttl));
        return Result.SENT;
    }

    private Result reset(Optional<User> found, Instant now) {
        Optional<Result> unfit = unfit(found);
        if (unfit.isPresent()) {
            return unfit.get();
        }
        User user = found.get();
        if (!accounts.countMail("reset:" + user.email(), now, settings.mailsPerAddressPerHour())) {
            return Result.RATE_LIMITED;
        }
        Duration ttl = settings.resetTokenTtl();
        Optional<MailToken> token = issue(user, MailToken.Kind.RESET_PASSWORD, ttl, now);
        if (token.isEmpty()) {
            return Result.ACCOUNT_CHANGED;
        }
        mailer.send(templates.resetPassword(user.email(), user.username(), token.get().value(), ttl));
        return Result.SENT;
    }

    private static Optional<Result> unfit(Optional<User> found) {
        if (found.isEmpty()) {
            return Optional.of(Result.NO_ACCOUNT);
        }
        if (found.get().status() != UserStatus.ACTIVE) {
            return Optional.of(Result.DISABLED);
        }
        if (!found.get().hasEmail()) {
            return Optional.of(Result.NO_ADDRESS);
        }
        return Optional.empty();
    }

    private Optional<MailToken> issue(User user, MailToken.Kind kind, Duration ttl, Instant now) {
        MailToken token = MailToken.generate(random);
        StoredToken stored = new StoredToken(token.hash(), kind, user.username(), user.userId(), user.email(), 0,
                now.plus(ttl), false);
        return accounts.issue(stored) ? Optional.of(token) : Optional.empty();
    }

    private Result send(String purpose, String address, Mail mail, Instant now) {
        if (!accounts.countMail(purpose + ":" + address, now, settings.mailsPerAddressPerHour())) {
            return Result.RATE_LIMITED;
        }
        mailer.send(mail);
        return Result.SENT;
    }
}
