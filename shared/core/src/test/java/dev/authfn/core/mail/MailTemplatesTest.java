package dev.authfn.core.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MailTemplatesTest {

    private static final String TOKEN = "q3Jx9dT0_aZ-4bLm7NcVwA";
    private static final URI LINK_BASE = URI.create("http://127.0.0.1:3000/");
    private final MailTemplates templates = new MailTemplates("Example", LINK_BASE);

    @Test
    void theVerificationMailLinksToThePageWithTheTokenInTheFragment() {
        Mail mail = templates.verifyEmail("alice@example.com", "alice", TOKEN, Duration.ofHours(24));

        assertThat(mail.to()).isEqualTo("alice@example.com");
        assertThat(mail.subject()).isEqualTo("Confirm your email address for Example");
        assertThat(mail.text()).isEqualTo("""
                Hello alice,

                To confirm this address for your Example account, open this link:

                http://127.0.0.1:3000/#verify=q3Jx9dT0_aZ-4bLm7NcVwA

                The link works once, within 24 hours.

                If you did not sign up for Example, ignore this mail: without the link, nothing happens.

                --\s
                This mail was sent automatically; replies are not read.
                """);
        assertThat(links(mail.html())).containsExactly("http://127.0.0.1:3000/#verify=q3Jx9dT0_aZ-4bLm7NcVwA");
        assertThat(mail.html()).startsWith("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                        + "<title>Confirm your email address for Example</title></head>")
                .contains("<p>Hello alice,</p>", "<p>The link works once, within 24 hours.</p>")
                .endsWith("</body></html>\n");
    }

    @Test
    void theResetMailLinksWithResetInTheFragment() {
        Mail mail = templates.resetPassword("bob@example.com", "bob", TOKEN, Duration.ofMinutes(30));

        assertThat(mail.to()).isEqualTo("bob@example.com");
        assertThat(mail.subject()).isEqualTo("Reset your Example password");
        assertThat(mail.text()).isEqualTo("""
                Hello bob,

                Someone asked to reset the password of your Example account. To choose a new password, open this link:

                http://127.0.0.1:3000/#reset=q3Jx9dT0_aZ-4bLm7NcVwA

                The link works once, within 30 minutes. Resetting ends every session of the account.

                If you did not ask for this, ignore this mail: your password stays as it is.

                --\s
                This mail was sent automatically; replies are not read.
                """);
        assertThat(links(mail.html())).containsExactly("http://127.0.0.1:3000/#reset=q3Jx9dT0_aZ-4bLm7NcVwA");
        assertThat(mail.html()).contains("<title>Reset your Example password</title>",
                "<p>The link works once, within 30 minutes. Resetting ends every session of the account.</p>");
    }

    @Test
    void theTokenGoesInTheFragmentAfterAnyPathAndQueryOfTheLinkBase() {
        MailTemplates deployed = new MailTemplates("Example", URI.create("https://app.example.com/account?lang=en"));

        Mail mail = deployed.resetPassword("bob@example.com", "bob", TOKEN, Duration.ofMinutes(30));

        assertThat(mail.text()).contains("\nhttps://app.example.com/account?lang=en#reset=" + TOKEN + "\n");
        assertThat(URI.create("https://app.example.com/account?lang=en#reset=" + TOKEN).getRawQuery())
                .isEqualTo("lang=en");
        // The attribute is escaped like any other interpolation: & in the query becomes &amp;.
        MailTemplates withAmpersand = new MailTemplates("Example", URI.create("https://app.example.com/a?x=1&y=2"));
        assertThat(withAmpersand.verifyEmail("a@example.com", "a", TOKEN, Duration.ofHours(1)).html())
                .contains("<a href=\"https://app.example.com/a?x=1&amp;y=2#verify=" + TOKEN + "\">");
    }

    @Test
    void noSubjectHoldsTheToken() {
        List<Mail> mails = List.of(
                templates.verifyEmail("alice@example.com", "alice", TOKEN, Duration.ofHours(24)),
                templates.resetPassword("alice@example.com", "alice", TOKEN, Duration.ofMinutes(30)),
                templates.registrationAttempt("alice@example.com"),
                templates.passwordChanged("alice@example.com", "alice"));

        for (Mail mail : mails) {
            assertThat(mail.subject()).as(mail.subject()).doesNotContain(TOKEN).doesNotContain("#");
            assertThat(mail.toString()).isEqualTo("Mail[to=alice@example.com, subject=" + mail.subject() + "]");
        }
    }

    @Test
    void everythingInterpolatedIntoTheHtmlIsEscaped() {
        MailTemplates site = new MailTemplates("R&D <Portal> \"x\" 'y'", LINK_BASE);

        Mail mail = site.verifyEmail("alice@example.com", "<b>&\"'", TOKEN, Duration.ofHours(24));

        assertThat(mail.html()).contains("<p>Hello &lt;b&gt;&amp;&quot;&#39;,</p>",
                        "<title>Confirm your email address for R&amp;D &lt;Portal&gt; &quot;x&quot; &#39;y&#39;</title>",
                        "your R&amp;D &lt;Portal&gt; &quot;x&quot; &#39;y&#39; account")
                .doesNotContain("<b>", "<Portal>", "\"x\"", "'y'");
        // The text part is plain text: the name as it is.
        assertThat(mail.text()).startsWith("Hello <b>&\"',\n");
        assertThat(mail.subject()).isEqualTo("Confirm your email address for R&D <Portal> \"x\" 'y'");
    }

    @Test
    void aUsernameWithControlCharactersStaysOnOneLine() {
        Mail mail = templates.passwordChanged("alice@example.com", "al\r\nice");

        assertThat(mail.text()).startsWith("Hello al  ice,\n\n");
        assertThat(mail.html()).contains("<p>Hello al  ice,</p>");
    }

    @Test
    void theSiteNameIsConfigurable() {
        MailTemplates other = new MailTemplates("  Acme Notes  ", URI.create("https://notes.acme.test/"));

        Mail mail = other.resetPassword("bob@example.com", "bob", TOKEN, Duration.ofMinutes(30));

        assertThat(mail.subject()).isEqualTo("Reset your Acme Notes password");
        assertThat(mail.text()).contains("your Acme Notes account").doesNotContain("Example");
        assertThat(mail.html()).contains("your Acme Notes account").doesNotContain("Example");
    }

    @Test
    void theRegistrationAttemptMailCarriesNoTokenAndPointsToForgotPassword() {
        Mail mail = templates.registrationAttempt("carol@example.com");

        assertThat(mail.to()).isEqualTo("carol@example.com");
        assertThat(mail.subject()).isEqualTo("Sign-up attempt at Example");
        assertThat(mail.text()).isEqualTo("""
                Hello,

                Someone tried to sign up for Example with this email address. It already belongs to an account, \
                so no new account was made and nothing changed.

                If this was you, you already have an account: use forgot password on the sign-in page to choose \
                a new password.

                http://127.0.0.1:3000/

                If it was not you, ignore this mail.

                --\s
                This mail was sent automatically; replies are not read.
                """);
        assertThat(links(mail.html())).containsExactly("http://127.0.0.1:3000/");
        assertThat(mail.html()).contains("you already have an account: use forgot password")
                .doesNotContain("#verify", "#reset");
    }

    @Test
    void thePasswordChangedNoticeNamesTheUserAndCarriesNoToken() {
        Mail mail = templates.passwordChanged("dave@example.com", "dave");

        assertThat(mail.subject()).isEqualTo("Your Example password was changed");
        assertThat(mail.text()).isEqualTo("""
                Hello dave,

                The password of your Example account was changed, and its other sessions ended.

                If this was you, there is nothing more to do.

                If it was not you, someone else may know your password or control this mailbox: use forgot \
                password on the sign-in page now to choose a new one.

                http://127.0.0.1:3000/

                --\s
                This mail was sent automatically; replies are not read.
                """);
        assertThat(links(mail.html())).containsExactly("http://127.0.0.1:3000/");
        assertThat(mail.html()).contains("<title>Your Example password was changed</title>", "<p>Hello dave,</p>");
    }

    @ParameterizedTest
    @CsvSource({"PT24H, 24 hours", "PT30M, 30 minutes", "PT1H, 1 hour", "PT1M, 1 minute", "PT90M, 90 minutes",
        "PT48H, 2 days", "PT72H, 3 days", "PT25H, 25 hours", "PT90S, 90 seconds", "PT1S, 1 second",
        "PT0.5S, 1 second", "PT1.5S, 1 second", "PT2M0.1S, 120 seconds", "P7D, 7 days"})
    void validityReadsAsAPersonSaysIt(Duration duration, String expected) {
        assertThat(MailTemplates.humanDuration(duration)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"PT0S", "-PT1M"})
    void aValidityMustBePositive(Duration duration) {
        assertThatThrownBy(() -> templates.verifyEmail("a@example.com", "a", TOKEN, duration))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a validity is a positive duration");
        assertThatThrownBy(() -> MailTemplates.humanDuration(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a validity is a positive duration");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "short", "abc&def=ghijklmnop", "abcdefghijklmnop#q", "abcdefgh ijklmnopq",
        "abcdefghijklmnop%41", "abcdefghijklmnop\n"})
    void refusesATokenThatIsNotFragmentSafeWithoutEchoingIt(String token) {
        assertThatThrownBy(() -> templates.resetPassword("a@example.com", "a", token, Duration.ofMinutes(30)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a mail token is 16 to 512 URI-unreserved characters (A-Z a-z 0-9 . _ ~ -)");
        assertThatThrownBy(() -> templates.verifyEmail("a@example.com", "a", null, Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void takesTokensOfSixteenToFiveHundredTwelveUnreservedCharacters() {
        String dotted = "AAAAAAAAAAAAAAAAAAAAAA.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb~";
        assertThat(templates.verifyEmail("a@example.com", "a", dotted, Duration.ofHours(1)).text())
                .contains("#verify=" + dotted + "\n");
        assertThat(templates.verifyEmail("a@example.com", "a", "a".repeat(16), Duration.ofHours(1)).text())
                .contains("#verify=" + "a".repeat(16) + "\n");
        assertThat(templates.verifyEmail("a@example.com", "a", "a".repeat(512), Duration.ofHours(1)).text())
                .contains("#verify=" + "a".repeat(512) + "\n");
        assertThatThrownBy(() -> templates.verifyEmail("a@example.com", "a", "a".repeat(15), Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> templates.verifyEmail("a@example.com", "a", "a".repeat(513), Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/relative", "ftp://example.com/", "https://example.com/#already", "mailto:a@example.com",
        "https:opaque"})
    void refusesALinkBaseThatIsNotAnAbsoluteHttpUriWithoutFragment(String linkBase) {
        assertThatThrownBy(() -> new MailTemplates("Example", URI.create(linkBase)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(linkBase);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "Exa\nmple", "Exa\rmple", "Tab\tSite"})
    void refusesASiteNameThatIsNotOneLine(String siteName) {
        assertThatThrownBy(() -> new MailTemplates(siteName, LINK_BASE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the site name is one non-blank line of at most 100 characters");
    }

    @Test
    void siteNamesUpToOneHundredCharactersAreTaken() {
        assertThat(new MailTemplates("x".repeat(100), LINK_BASE).registrationAttempt("a@example.com").subject())
                .isEqualTo("Sign-up attempt at " + "x".repeat(100));
        assertThatThrownBy(() -> new MailTemplates("x".repeat(101), LINK_BASE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMissingArgumentIsRefused() {
        assertThatThrownBy(() -> new MailTemplates(null, LINK_BASE)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new MailTemplates("Example", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> templates.passwordChanged("a@example.com", null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void escapesTheFiveHtmlCharactersAndNothingElse() {
        assertThat(MailTemplates.escape("a&b<c>d\"e'f é ü 🔑")).isEqualTo("a&amp;b&lt;c&gt;d&quot;e&#39;f é ü 🔑");
    }

    private static List<String> links(String html) {
        Matcher matcher = Pattern.compile("<a href=\"([^\"]*)\">").matcher(html);
        return matcher.results().map(result -> result.group(1)).toList();
    }
}
