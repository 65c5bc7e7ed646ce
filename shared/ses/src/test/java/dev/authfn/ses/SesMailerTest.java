package dev.authfn.ses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authfn.core.config.ConfigException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** SesMailer's configuration: no request is made by anything here. */
class SesMailerTest {

    private static final Map<String, String> BASE = Map.of("AWS_REGION", "eu-west-1",
            "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test");

    @Test
    void readsTheSenderAndTheRegionFromTheEnvironment() {
        try (SesMailer mailer = SesMailer.fromEnvironment(with("AUTHFN_MAIL_FROM", "  no-reply@example.com "))) {
            assertThat(mailer.from()).isEqualTo("no-reply@example.com");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Example <no-reply@example.com>|Example <no-reply@example.com>",
        "Example Site   <no-reply@example.com>|Example Site <no-reply@example.com>",
        "Example, Inc. <no-reply@example.com>|\"Example, Inc.\" <no-reply@example.com>",
        "no-reply@bücher.example|no-reply@xn--bcher-kva.example",
        "\"Example, Inc.\" <no-reply@example.com>|\"Example, Inc.\" <no-reply@example.com>",
        "Café <no-reply@example.com>|=?UTF-8?B?Q2Fmw6k=?= <no-reply@example.com>"})
    void takesAnAddressOrANamedAddress(String configured, String sentAs) {
        try (SesMailer mailer = SesMailer.fromEnvironment(with("AUTHFN_MAIL_FROM", configured))) {
            assertThat(mailer.from()).isEqualTo(sentAs);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"no-reply", "no-reply@localhost", "Example <no-reply>", "a@b.com, c@d.com",
        "Ex\"ample <a@example.com>", "<a@example.com> Example", "a@example.com\r\nBcc: eve@example.com",
        "Ex\\ample <a@example.com>", "\"\" <a@example.com>", "\"Ex\"ample\" <a@example.com>"})
    void refusesASenderThatIsNotOneAddress(String configured) {
        assertThatThrownBy(() -> SesMailer.fromEnvironment(with("AUTHFN_MAIL_FROM", configured)))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).singleElement().asString()
                        .startsWith("AUTHFN_MAIL_FROM must be a mail address or 'Name <address>'; it is '")
                        .doesNotContain("\r", "\n"));
    }

    @Test
    void refusesANonAsciiLocalPartWhichSesCannotSendFrom() {
        assertThatThrownBy(() -> SesMailer.fromEnvironment(with("AUTHFN_MAIL_FROM", "jösé@example.com")))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactly(
                        "AUTHFN_MAIL_FROM: SES takes only ASCII before the @ of a sender; 'jösé@example.com' is not"));
    }

    @Test
    void reportsEveryProblemAtOnce() {
        Map<String, String> env = Map.of("AUTHFN_SES_ENDPOINT", "localhost:5000",
                "AUTHFN_SES_CONFIGURATION_SET", "not a name!");

        assertThatThrownBy(() -> SesMailer.fromEnvironment(env))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactly(
                        "AUTHFN_MAIL_FROM is required: the sender address, verified in SES (e.g. no-reply@example.com "
                                + "or 'Example <no-reply@example.com>')",
                        "AUTHFN_SES_CONFIGURATION_SET must be an SES configuration set name (letters, digits, _ and -, "
                                + "at most 64)",
                        "AUTHFN_SES_ENDPOINT must be an http(s) URL such as http://127.0.0.1:5000",
                        "AWS_REGION (or AWS_DEFAULT_REGION) is required: the region of the tables and the secret"));
    }

    @Test
    void takesTheRegionFromAwsDefaultRegionToo() {
        Map<String, String> env = Map.of("AWS_DEFAULT_REGION", "us-west-2", "AUTHFN_MAIL_FROM", "a@example.com",
                "AUTHFN_SES_CONFIGURATION_SET", "authfn-mail_1", "AUTHFN_SES_ENDPOINT", "http://127.0.0.1:1");

        try (SesMailer mailer = SesMailer.fromEnvironment(env)) {
            assertThat(mailer.from()).isEqualTo("a@example.com");
        }
    }

    @Test
    void aBlankConfigurationSetOrEndpointIsNone() {
        Map<String, String> env = Map.of("AWS_REGION", "us-east-1", "AUTHFN_MAIL_FROM", "a@example.com",
                "AUTHFN_SES_CONFIGURATION_SET", " ", "AUTHFN_SES_ENDPOINT", "");

        try (SesMailer mailer = SesMailer.fromEnvironment(env)) {
            assertThat(mailer.from()).isEqualTo("a@example.com");
        }
    }

    @Test
    void theConstructorValidatesToo() {
        try (var client = SesMailer.client(Optional.empty(), software.amazon.awssdk.regions.Region.US_EAST_1,
                Optional.empty())) {
            assertThatThrownBy(() -> new SesMailer(client, "not an address", Optional.of("a b")))
                    .isInstanceOf(ConfigException.class)
                    .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSize(2));
        }
    }

    @Test
    void convertsAnInternationalDomainToPunycode() {
        assertThat(SesMailer.asciiDomain("anna@bücher.example")).isEqualTo("anna@xn--bcher-kva.example");
        assertThat(SesMailer.asciiDomain("anna@example.com")).isEqualTo("anna@example.com");
        assertThat(List.of(SesMailer.CONNECTION_TIMEOUT, SesMailer.SOCKET_TIMEOUT, SesMailer.API_CALL_TIMEOUT))
                .allSatisfy(timeout -> assertThat(timeout.toSeconds()).isBetween(1L, 5L));
    }

    private static Map<String, String> with(String name, String value) {
        var env = new java.util.HashMap<>(BASE);
        env.put(name, value);
        return env;
    }
}
