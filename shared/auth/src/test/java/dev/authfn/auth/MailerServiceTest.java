package dev.authfn.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.auth.AccountService.TokenAccepted;
import dev.authfn.auth.AccountService.TokenReason;
import dev.authfn.auth.AccountService.TokenRefused;
import dev.authfn.auth.MailerService.Result;
import dev.authfn.core.account.MailRequest;
import dev.authfn.core.account.MailToken;
import dev.authfn.core.account.StoredToken;
import dev.authfn.core.config.AccountSettings;
import dev.authfn.core.keys.KeySet;
import dev.authfn.core.mail.Mail;
import dev.authfn.core.mail.MailTemplates;
import dev.authfn.core.password.PasswordPolicy;
import dev.authfn.core.user.LockoutPolicy;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserStatus;
import dev.authfn.core.user.UserStore;
import dev.authfn.testkit.InMemoryOutbox;
import dev.authfn.testkit.InMemorySessionStore;
import dev.authfn.testkit.InMemoryUserStore;
import dev.authfn.testkit.MutableClock;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MailerServiceTest {

    private static final Instant START = Instant.parse("2026-11-26T10:00:00Z");
    private static final URI LINK_BASE = URI.create("https://app.example.com/account");
    private static final Pattern LINK = Pattern.compile(Pattern.quote(LINK_BASE.toString()) + "#(verify|reset)=([A-Za-z0-9_-]+)");
    private static final AccountSettings SETTINGS = new AccountSettings(AccountSettings.SignupMode.OPEN,
            Duration.ofHours(24), Duration.ofMinutes(30), 2, "Example", Optional.of(LINK_BASE));
    private static final PasswordPolicy ANY = new PasswordPolicy() {
        @Override
        public Optional<Rejection> checkNew(String password, String username) {
            return Optional.empty();
        }

        @Override
        public int minLength() {
            return 1;
        }
    };

    private final MutableClock clock = new MutableClock(START);
    private final SecureRandom random = new SecureRandom();
    private final InMemoryUserStore users = new InMemoryUserStore();
    private final List<Mail> sent = new ArrayList<>();
    private final MailerService mailer = mailer(users);
    private final AccountService accounts = new AccountService(users, new InMemorySessionStore(), users.accounts(),
            new InMemoryOutbox(), users.mfa(), new PlainHasher(), ANY, LockoutPolicy.DEFAULT, SETTINGS,
            () -> new CredentialCodecs(KeySet.generate(Clock.fixed(START, ZoneOffset.UTC)),
                    new CredentialCodecs.Settings("https://auth.example.com", "api", "web", Duration.ofMinutes(5),
                            Duration.ofSeconds(60), SessionTimeouts.DEFAULT), random, clock),
            SessionTimeouts.DEFAULT, random, clock);

    private MailerService mailer(UserStore userStore) {
        return new MailerService(userStore, users.accounts(), sent::add, new MailTemplates("Example", LINK_BASE), SETTINGS,
                random, clock);
    }

    private User givenUser(String username, UserStatus status, boolean verified) {
        User user = new User(username, UUID.randomUUID().toString(), "plain:old password", Set.of(), Set.of(), status, 0,
                Instant.EPOCH, 0, username + "@example.com", verified);
        users.accounts().register(user, dev.authfn.testkit.AccountStoreContract.STAND_IN_EXPIRY);
        return user;
    }

    private MailRequest request(MailRequest.Kind kind, String subject) {
        return new MailRequest(UUID.randomUUID().toString(), kind, subject, clock.instant());
    }

    private Result handle(MailRequest.Kind kind, String subject) {
        return mailer.handle(request(kind, subject));
    }

    /** The token the one link of {@code mail} carries, after checking the link's kind. */
    private static String tokenIn(Mail mail, String kind) {
        Matcher link = LINK.matcher(mail.text());
        assertThat(link.find()).as("a link in " + mail).isTrue();
        assertThat(link.group(1)).isEqualTo(kind);
        assertThat(mail.html()).contains(link.group());
        return link.group(2);
    }

    private Mail onlyMail() {
        assertThat(sent).hasSize(1);
        return sent.remove(0);
    }

    @Test
    void sendsAVerificationMailWhoseTokenVerifiesTheAddress() {
        givenUser("alice", UserStatus.ACTIVE, false);

        assertThat(handle(MailRequest.Kind.VERIFY_EMAIL, "alice")).isEqualTo(Result.SENT);

        Mail mail = onlyMail();
        assertThat(mail.to()).isEqualTo("alice@example.com");
        assertThat(mail.subject()).isEqualTo("Confirm your email address for Example");
        String token = tokenIn(mail, "verify");
        StoredToken stored = users.accounts().token(MailToken.hash(token)).orElseThrow();
        assertThat(stored.kind()).isEqualTo(MailToken.Kind.VERIFY_EMAIL);
        assertThat(stored.expiresAt()).isEqualTo(START.plus(Duration.ofHours(24)));
        assertThat(stored.email()).isEqualTo("alice@example.com");
        assertThat(accounts.verifyEmail(token)).isEqualTo(new TokenAccepted("alice", 0));
        assertThat(users.get("alice").orElseThrow().emailVerified()).isTrue();
    }

    @Test
    void resendFindsTheAccountByAddress() {
        givenUser("alice", UserStatus.ACTIVE, false);

        assertThat(handle(MailRequest.Kind.RESEND_VERIFICATION, "alice@example.com")).isEqualTo(Result.SENT);

        assertThat(accounts.verifyEmail(tokenIn(onlyMail(), "verify"))).isEqualTo(new TokenAccepted("alice", 0));
    }

    @Test
    void sendsNoVerificationToNoOneADisabledAccountOrAVerifiedAddress() {
        givenUser("bob", UserStatus.ACTIVE, true);
        givenUser("dave", UserStatus.DISABLED, false);
        users.create(new User("old", UUID.randomUUID().toString(), "plain:x", Set.of(), Set.of(), UserStatus.ACTIVE, 0,
                Instant.EPOCH));

        assertThat(handle(MailRequest.Kind.VERIFY_EMAIL, "nobody")).isEqualTo(Result.NO_ACCOUNT);
        assertThat(handle(MailRequest.Kind.RESEND_VERIFICATION, "nobody@example.com")).isEqualTo(Result.NO_ACCOUNT);
        assertThat(handle(MailRequest.Kind.VERIFY_EMAIL, "bob")).isEqualTo(Result.ALREADY_VERIFIED);
        assertThat(handle(MailRequest.Kind.RESEND_VERIFICATION, "bob@example.com")).isEqualTo(Result.ALREADY_VERIFIED);
        assertThat(handle(MailRequest.Kind.VERIFY_EMAIL, "dave")).isEqualTo(Result.DISABLED);
        assertThat(handle(MailRequest.Kind.VERIFY_EMAIL, "old")).isEqualTo(Result.NO_ADDRESS);
        assertThat(sent).isEmpty();
    }

    @Test
    void sendsAResetMailWhoseTokenResetsThePassword() {
        givenUser("alice", UserStatus.ACTIVE, true);

        assertThat(handle(MailRequest.Kind.FORGOT_BY_USERNAME, "alice")).isEqualTo(Result.SENT);

        Mail mail = onlyMail();
        assertThat(mail.to()).isEqualTo("alice@example.com");
        assertThat(mail.subject()).isEqualTo("Reset your Example password");
        String token = tokenIn(mail, "reset");
        assertThat(users.accounts().token(MailToken.hash(token)).orElseThrow().expiresAt())
                .isEqualTo(START.plus(Duration.ofMinutes(30)));
        assertThat(accounts.resetPassword(token, "new password")).isEqualTo(new TokenAccepted("alice", 0));
        assertThat(users.get("alice").orElseThrow().passwordHash()).isEqualTo("plain:new password");
    }

    @Test
    void aSecondForgotVoidsTheFirstMailsToken() {
        givenUser("alice", UserStatus.ACTIVE, false);
        handle(MailRequest.Kind.FORGOT_BY_USERNAME, "alice");
        String first = tokenIn(onlyMail(), "reset");

        assertThat(handle(MailRequest.Kind.FORGOT_BY_EMAIL, "alice@example.com")).isEqualTo(Result.SENT);
        String second = tokenIn(onlyMail(), "reset");

        assertThat(accounts.resetPassword(first, "new password")).isEqualTo(new TokenRefused(TokenReason.SUPERSEDED));
        assertThat(accounts.resetPassword(second, "new password")).isEqualTo(new TokenAccepted("alice", 0));
        assertThat(users.get("alice").orElseThrow().emailVerified()).as("the mail reached its owner").isTrue();
    }

    @Test
    void sendsNoResetToNoOneOrADisabledAccount() {
        givenUser("dave", UserStatus.DISABLED, true);

        assertThat(handle(MailRequest.Kind.FORGOT_BY_USERNAME, "nobody")).isEqualTo(Result.NO_ACCOUNT);
        assertThat(handle(MailRequest.Kind.FORGOT_BY_EMAIL, "nobody@example.com")).isEqualTo(Result.NO_ACCOUNT);
        assertThat(handle(MailRequest.Kind.FORGOT_BY_USERNAME, "dave")).isEqualTo(Result.DISABLED);
        assertThat(handle(MailRequest.Kind.FORGOT_BY_EMAIL, "dave@example.com")).isEqualTo(Result.DISABLED);
        assertThat(sent).isEmpty();
    }

    @Test
    void tellsTheHolderOfAnAddressOfASignUpAttemptWithoutAToken() {
        assertThat(handle(MailRequest.Kind.REGISTRATION_ATTEMPT, "holder@example.com")).isEqualTo(Result.SENT);

        Mail mail = onlyMail();
        assertThat(mail.to()).isEqualTo("holder@example.com");
        assertThat(mail.subject()).isEqualTo("Sign-up attempt at Example");
        assertThat(LINK.matcher(mail.text()).find()).isFalse();
    }

    @Test
    void noticesAChangedPasswordToTheAccountsAddress() {
        givenUser("alice", UserStatus.ACTIVE, true);
        users.create(new User("old", UUID.randomUUID().toString(), "plain:x", Set.of(), Set.of(), UserStatus.ACTIVE, 0,
                Instant.EPOCH));

        assertThat(handle(MailRequest.Kind.PASSWORD_CHANGED, "alice")).isEqualTo(Result.SENT);
        assertThat(onlyMail().to()).isEqualTo("alice@example.com");
        assertThat(handle(MailRequest.Kind.PASSWORD_CHANGED, "nobody")).isEqualTo(Result.NO_ACCOUNT);
        assertThat(handle(MailRequest.Kind.PASSWORD_CHANGED, "old")).isEqualTo(Result.NO_ACCOUNT);
        assertThat(sent).isEmpty();
    }

    @Test
    void dropsRequestsOlderThanAnHour() {
        givenUser("alice", UserStatus.ACTIVE, false);
        MailRequest hourOld = request(MailRequest.Kind.VERIFY_EMAIL, "alice");
        MailRequest older = new MailRequest("id", MailRequest.Kind.VERIFY_EMAIL, "alice", START.minusMillis(1));
        clock.advance(Duration.ofHours(1));

        assertThat(mailer.handle(older)).isEqualTo(Result.STALE);
        assertThat(sent).isEmpty();
        assertThat(mailer.handle(hourOld)).isEqualTo(Result.SENT);
    }

    @Test
    void sendsAtMostTheConfiguredMailsPerAddressKindAndHour() {
        givenUser("alice", UserStatus.ACTIVE, false);

        assertThat(handle(MailRequest.Kind.VERIFY_EMAIL, "alice")).isEqualTo(Result.SENT);
        assertThat(handle(MailRequest.Kind.RESEND_VERIFICATION, "alice@example.com")).isEqualTo(Result.SENT);
        assertThat(handle(MailRequest.Kind.RESEND_VERIFICATION, "alice@example.com")).isEqualTo(Result.RATE_LIMITED);
        assertThat(handle(MailRequest.Kind.FORGOT_BY_USERNAME, "alice")).as("resets count apart").isEqualTo(Result.SENT);
        assertThat(handle(MailRequest.Kind.FORGOT_BY_EMAIL, "alice@example.com")).isEqualTo(Result.SENT);
        assertThat(handle(MailRequest.Kind.FORGOT_BY_USERNAME, "alice")).isEqualTo(Result.RATE_LIMITED);
        assertThat(handle(MailRequest.Kind.REGISTRATION_ATTEMPT, "alice@example.com")).isEqualTo(Result.SENT);
        assertThat(handle(MailRequest.Kind.REGISTRATION_ATTEMPT, "alice@example.com")).isEqualTo(Result.SENT);
        assertThat(handle(MailRequest.Kind.REGISTRATION_ATTEMPT, "alice@example.com")).isEqualTo(Result.RATE_LIMITED);
        assertThat(handle(MailRequest.Kind.PASSWORD_CHANGED, "alice")).isEqualTo(Result.SENT);
        assertThat(handle(MailRequest.Kind.PASSWORD_CHANGED, "alice")).isEqualTo(Result.SENT);
        assertThat(handle(MailRequest.Kind.PASSWORD_CHANGED, "alice")).isEqualTo(Result.RATE_LIMITED);
        assertThat(sent).hasSize(8);

        clock.advance(Duration.ofHours(1));
        assertThat(handle(MailRequest.Kind.RESEND_VERIFICATION, "alice@example.com")).isEqualTo(Result.SENT);
    }

    @Test
    void sendsNothingWhenTheAccountChangedUnderTheRequest() {
        User alice = givenUser("alice", UserStatus.ACTIVE, false);
        User predecessor = new User("alice", UUID.randomUUID().toString(), alice.passwordHash(), Set.of(), Set.of(),
                UserStatus.ACTIVE, 0, Instant.EPOCH, 0, alice.email(), false);
        UserStore stale = (UserStore) Proxy.newProxyInstance(UserStore.class.getClassLoader(),
                new Class<?>[] {UserStore.class}, (proxy, method, args) -> Optional.of(predecessor));

        assertThat(mailer(stale).handle(request(MailRequest.Kind.VERIFY_EMAIL, "alice"))).isEqualTo(Result.ACCOUNT_CHANGED);
        assertThat(mailer(stale).handle(request(MailRequest.Kind.FORGOT_BY_USERNAME, "alice")))
                .isEqualTo(Result.ACCOUNT_CHANGED);
        assertThat(sent).isEmpty();
    }
}
