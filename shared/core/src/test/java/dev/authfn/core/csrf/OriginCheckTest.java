package dev.authfn.core.csrf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.csrf.OriginCheck.Reason;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OriginCheckTest {

    private static final String SELF = "https://api.example.com";
    private static final String APP = "https://app.example.com";

    private final OriginCheck check = new OriginCheck(Set.of(APP));

    @Test
    void passesARequestWithNeitherHeader() {
        assertThat(check.check(null, null, SELF)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"cross-site", "Cross-Site", " CROSS-SITE "})
    void refusesCrossSiteFetchesInAnyCaseOrPadding(String secFetchSite) {
        assertThat(check.check(null, secFetchSite, SELF)).contains(Reason.CROSS_SITE);
    }

    @Test
    void refusesCrossSiteEvenFromAnAllowedOrigin() {
        assertThat(check.check(APP, "cross-site", SELF)).contains(Reason.CROSS_SITE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"same-origin", "same-site", "none"})
    void passesFetchesThatAreNotCrossSite(String secFetchSite) {
        assertThat(check.check(null, secFetchSite, SELF)).isEmpty();
    }

    @Test
    void passesAnAllowedOrigin() {
        assertThat(check.check(APP, "same-site", SELF)).isEmpty();
    }

    @Test
    void passesAnAllowedOriginWrittenInAnotherCaseOrPadded() {
        assertThat(check.check(" HTTPS://App.Example.com ", null, SELF)).isEmpty();
    }

    @Test
    void passesTheApisOwnOrigin() {
        assertThat(check.check(SELF, "same-origin", SELF)).isEmpty();
    }

    @Test
    void passesTheApisOwnOriginWhateverTheCaseOfTheHost() {
        assertThat(check.check(SELF, null, "https://API.example.com")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://evil.example", "null", "http://app.example.com", "https://app.example.com:8443",
        "https://app.example.com/", "https://app.example.com.evil.example", "https://sub.app.example.com", ""})
    void refusesAnyOtherOrigin(String origin) {
        assertThat(check.check(origin, "same-site", SELF)).contains(Reason.FOREIGN_ORIGIN);
    }

    @Test
    void withAnEmptyAllowlistPassesOnlyTheApisOwnOrigin() {
        OriginCheck selfOnly = new OriginCheck(Set.of());

        assertThat(selfOnly.check(APP, null, SELF)).contains(Reason.FOREIGN_ORIGIN);
        assertThat(selfOnly.check(SELF, null, SELF)).isEmpty();
    }

    @Test
    void selfOriginDefaultsToHttps() {
        assertThat(OriginCheck.selfOrigin(null, "api.example.com")).isEqualTo("https://api.example.com");
        assertThat(OriginCheck.selfOrigin(" ", "api.example.com")).isEqualTo("https://api.example.com");
    }

    @Test
    void selfOriginUsesTheForwardedProtoAndTrimsBoth() {
        assertThat(OriginCheck.selfOrigin(" http ", " localhost:3000 ")).isEqualTo("http://localhost:3000");
    }

    @Test
    void selfOriginIsUnknownWithoutAHost() {
        assertThat(OriginCheck.selfOrigin("https", null)).isNull();
        assertThat(OriginCheck.selfOrigin("https", "  ")).isNull();
    }

    @Test
    void aRequestWithoutHostIsCheckedAgainstTheAllowlistOnly() {
        String self = OriginCheck.selfOrigin("https", null);

        assertThat(check.check(APP, null, self)).isEqualTo(Optional.empty());
        assertThat(check.check(SELF, null, self)).contains(Reason.FOREIGN_ORIGIN);
    }
}
