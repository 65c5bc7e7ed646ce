package dev.authfn.functions.passkeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.authfn.core.config.ConfigException;
import dev.authfn.testkit.lambda.World;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RelyingPartyTest {

    private static final String RP_ID = RelyingParty.ENV_RP_ID;
    private static final String ORIGINS = RelyingParty.ENV_ORIGINS;
    private static final String ISSUER = RelyingParty.ENV_ISSUER;

    // --- from the issuer ---

    @Test
    void withNeitherSetBothComeFromTheIssuersHostAndOrigin() {
        RelyingParty party = RelyingParty.fromEnvironment(Map.of(ISSUER, World.ISSUER), "Example");

        assertThat(party.id()).isEqualTo(World.HOST);
        assertThat(party.origins()).containsExactly(World.ISSUER);
        assertThat(party.name()).isEqualTo("Example");
    }

    @Test
    void theIssuersPathIsDroppedItsCaseLoweredAndItsPortKept() {
        RelyingParty withPath = RelyingParty.fromEnvironment(Map.of(ISSUER, "HTTPS://Auth.Example.COM/tenant/"), "x");
        RelyingParty withPort = RelyingParty.fromEnvironment(Map.of(ISSUER, "https://auth.example.com:8443"), "x");
        RelyingParty local = RelyingParty.fromEnvironment(Map.of(ISSUER, "http://localhost:3000"), "x");

        assertThat(withPath.id()).isEqualTo("auth.example.com");
        assertThat(withPath.origins()).containsExactly("https://auth.example.com");
        assertThat(withPort.id()).isEqualTo("auth.example.com");
        assertThat(withPort.origins()).containsExactly("https://auth.example.com:8443");
        assertThat(local.id()).isEqualTo("localhost");
        assertThat(local.origins()).containsExactly("http://localhost:3000");
    }

    @Test
    void anExplicitDefaultPortIsKeptAsWritten() {
        // webauthn4j's Origin compares scheme, host and port with the default filled in, so this
        // still matches the browser's "https://auth.example.com" (WebAuthn4jCeremoniesTest).
        RelyingParty party = RelyingParty.fromEnvironment(Map.of(ISSUER, "https://auth.example.com:443/"), "x");

        assertThat(party.origins()).containsExactly("https://auth.example.com:443");
    }

    @Test
    void blankSettingsCountAsUnsetAndABlankSiteNameIsAuthfn() {
        Map<String, String> environment = Map.of(ISSUER, World.ISSUER, RP_ID, " ", ORIGINS, "");

        RelyingParty party = RelyingParty.fromEnvironment(environment, " ");

        assertThat(party.id()).isEqualTo(World.HOST);
        assertThat(party.name()).isEqualTo("authfn");
    }

    @Test
    void withNeitherSetAndNoUsableIssuerBothAreRequired() {
        String required = "AUTHFN_WEBAUTHN_RP_ID and AUTHFN_WEBAUTHN_ORIGINS are required when AUTHFN_ISSUER is not an"
                + " http(s) URL to take them from";
        for (Map<String, String> environment : List.of(Map.<String, String>of(), Map.of(ISSUER, ""),
                Map.of(ISSUER, "urn:authfn"), Map.of(ISSUER, "ftp://auth.example.com"), Map.of(ISSUER, "not a url"))) {
            assertThat(problems(environment)).as(environment.toString()).containsExactly(required);
        }
    }

    @Test
    void anIssuerOnAnIpAddressOrPlainHttpElsewhereIsRefused() {
        assertThat(problems(Map.of(ISSUER, "https://192.0.2.1"))).containsExactly(
                "AUTHFN_WEBAUTHN_RP_ID must be a lower-case domain name (not an IP address, no scheme or port)");
        assertThat(problems(Map.of(ISSUER, "http://auth.example.com"))).containsExactly(
                "AUTHFN_WEBAUTHN_ORIGINS origin 1 of 1 is not https (only localhost may be plain http)");
    }

    // --- explicit ---

    @Test
    void explicitSettingsWinOverTheIssuerAndOriginsAreTrimmed() {
        Map<String, String> environment = Map.of(ISSUER, World.ISSUER, RP_ID, " example.com ",
                ORIGINS, "https://example.com, https://app.example.com ,https://login.app.example.com:8443,");

        RelyingParty party = RelyingParty.fromEnvironment(environment, "Example");

        assertThat(party.id()).isEqualTo("example.com");
        assertThat(party.origins()).containsExactlyInAnyOrder("https://example.com", "https://app.example.com",
                "https://login.app.example.com:8443");
    }

    @Test
    void plainHttpIsForLocalhostOnly() {
        RelyingParty party = RelyingParty.fromEnvironment(Map.of(RP_ID, "localhost",
                ORIGINS, "http://localhost:8080,http://app.localhost,https://localhost"), "x");

        assertThat(party.origins()).containsExactlyInAnyOrder("http://localhost:8080", "http://app.localhost",
                "https://localhost");
        assertThat(problems(Map.of(RP_ID, "example.com", ORIGINS, "http://example.com"))).containsExactly(
                "AUTHFN_WEBAUTHN_ORIGINS origin 1 of 1 is not https (only localhost may be plain http)");
        assertThat(problems(Map.of(RP_ID, "localhost.example.com", ORIGINS, "http://localhost.example.com")))
                .containsExactly("AUTHFN_WEBAUTHN_ORIGINS origin 1 of 1 is not https (only localhost may be plain http)");
    }

    @Test
    void anRpIdMustBeALowerCaseDomainName() {
        for (String rpId : List.of("192.0.2.1", "10.0.0.1", "Example.com", "https://example.com", "example.com:443",
                "example.com/", "-example.com", "example-.com", "exa mple.com", "example..com", "[2001:db8::1]",
                "2001:db8::1", "a".repeat(64) + ".com")) {
            assertThat(problems(Map.of(RP_ID, rpId, ORIGINS, "https://example.com"))).as(rpId).first().isEqualTo(
                    "AUTHFN_WEBAUTHN_RP_ID must be a lower-case domain name (not an IP address, no scheme or port)");
        }
        assertThat(RelyingParty.isDomain("xn--bcher-kva.example")).isTrue();
        assertThat(RelyingParty.isDomain("a1.example.com")).isTrue();
        assertThat(RelyingParty.isDomain("123.example")).as("digits in labels are fine").isTrue();
        assertThat(RelyingParty.isDomain("1.2.3")).as("all digits and dots is an IP address to a browser").isFalse();
    }

    @Test
    void anOriginMustBeOnTheRpIdOrASubdomainOfIt() {
        assertThat(problems(Map.of(RP_ID, "example.com", ORIGINS, "https://example.org"))).containsExactly(
                "AUTHFN_WEBAUTHN_ORIGINS origin 1 of 1 is not on the RP ID (AUTHFN_WEBAUTHN_RP_ID) or a subdomain of it");
        assertThat(problems(Map.of(RP_ID, "example.com", ORIGINS, "https://notexample.com"))).containsExactly(
                "AUTHFN_WEBAUTHN_ORIGINS origin 1 of 1 is not on the RP ID (AUTHFN_WEBAUTHN_RP_ID) or a subdomain of it");
        assertThat(problems(Map.of(RP_ID, "app.example.com", ORIGINS, "https://example.com"))).as("a parent is not on it")
                .containsExactly("AUTHFN_WEBAUTHN_ORIGINS origin 1 of 1 is not on the RP ID (AUTHFN_WEBAUTHN_RP_ID) or a subdomain of it");
    }

    @Test
    void anOriginIsExactSchemeHostAndPortInLowerCase() {
        for (String origin : List.of("https://example.com/", "https://example.com/login", "https://Example.com",
                "HTTPS://example.com", "example.com", "https://example.com?x=1", "https://example.com#top",
                "https://user@example.com", "ftp://example.com")) {
            assertThat(problems(Map.of(RP_ID, origin.contains("localhost") ? "localhost" : "example.com",
                    ORIGINS, origin))).as(origin).containsExactly(
                    "AUTHFN_WEBAUTHN_ORIGINS origin 1 of 1 is no exact origin (scheme://host[:port], lower case, no path)");
        }
    }

    @Test
    void anEmptyEntryInTheListIsNoOrigin() {
        assertThat(problems(Map.of(RP_ID, "example.com", ORIGINS, ",https://example.com"))).containsExactly(
                "AUTHFN_WEBAUTHN_ORIGINS origin 1 of 2 is no exact origin (scheme://host[:port], lower case, no path)");
    }

    @Test
    void oneOfTheTwoWithoutTheOtherIsRefused() {
        String together = "AUTHFN_WEBAUTHN_RP_ID and AUTHFN_WEBAUTHN_ORIGINS go together: set both, or neither";

        assertThat(problems(Map.of(ISSUER, World.ISSUER, RP_ID, "example.com"))).containsExactly(together);
        assertThat(problems(Map.of(ISSUER, World.ISSUER, ORIGINS, "https://example.com"))).containsExactly(together);
        assertThat(problems(Map.of(RP_ID, "example.com", ORIGINS, "  "))).containsExactly(together);
    }

    @Test
    void everyProblemIsReportedAtOnceInOrder() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> RelyingParty.fromEnvironment(
                Map.of(RP_ID, "192.0.2.1", ORIGINS, "http://evil.example,https://example.com/"), "x"));

        assertThat(e.problems()).containsExactly(
                "AUTHFN_WEBAUTHN_RP_ID must be a lower-case domain name (not an IP address, no scheme or port)",
                "AUTHFN_WEBAUTHN_ORIGINS origin 1 of 2 is not https (only localhost may be plain http)",
                "AUTHFN_WEBAUTHN_ORIGINS origin 2 of 2 is no exact origin (scheme://host[:port], lower case, no path)");
        assertThat(e.getMessage()).doesNotContain("192.0.2.1").doesNotContain("evil.example");
        assertThat(e.getMessage()).startsWith("invalid authfn configuration (3 problems): ").doesNotContain("\n");
    }

    @Test
    void theOriginsAreAnUnmodifiableCopy() {
        java.util.Set<String> origins = new java.util.HashSet<>(List.of("https://example.com"));
        RelyingParty party = new RelyingParty("example.com", origins, "x");
        origins.add("https://evil.example");

        assertThat(party.origins()).containsExactly("https://example.com");
        assertThat(catchThrowableOfType(UnsupportedOperationException.class,
                () -> party.origins().add("https://evil.example"))).isNotNull();
    }

    private static List<String> problems(Map<String, String> environment) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> RelyingParty.fromEnvironment(new HashMap<>(environment), "x"));
        assertThat(e).as("a ConfigException for " + environment).isNotNull();
        return e.problems();
    }
}
