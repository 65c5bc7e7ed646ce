package dev.authfn.core.cookie;

import static dev.authfn.core.testing.TestKeys.hmac;
import static dev.authfn.core.testing.TestKeys.otherBase64UrlChar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authfn.core.cookie.SessionCookieCodec.Invalid;
import dev.authfn.core.cookie.SessionCookieCodec.Reason;
import dev.authfn.core.cookie.SessionCookieCodec.Valid;
import dev.authfn.core.keys.HmacKey;
import dev.authfn.core.keys.KeyStatus;
import dev.authfn.core.token.SessionToken;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SessionCookieCodecTest {

    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
    private static final Duration LIFETIME = Duration.ofHours(8);
    private static final Duration SKEW = Duration.ofSeconds(60);

    private final HmacKey active = hmac("cookie-2026-11", KeyStatus.ACTIVE);
    private final SessionCookieCodec codec = new SessionCookieCodec(active, List.of(active), LIFETIME, SKEW);
    private final SessionToken token = SessionToken.generate(new SecureRandom());

    @Test
    void verifiesWhatItSigns() {
        String cookie = codec.sign(token, NOW);

        assertThat(codec.verify(cookie, NOW.plusSeconds(5)))
                .isEqualTo(new Valid(token, "cookie-2026-11", NOW));
        assertThat(cookie).startsWith("cookie-2026-11." + NOW.getEpochSecond() + "." + token.encoded() + ".");
    }

    @Test
    void rejectsEveryCookieChangedAtAnySinglePosition() {
        String cookie = codec.sign(token, NOW);
        int kidEnd = cookie.indexOf('.');

        for (int i = 0; i < cookie.length(); i++) {
            char original = cookie.charAt(i);
            char replacement = original == '.' ? 'A' : otherBase64UrlChar(original);
            String changed = cookie.substring(0, i) + replacement + cookie.substring(i + 1);

            Reason expected = original == '.' ? Reason.MALFORMED
                    : i < kidEnd ? Reason.UNKNOWN_KEY
                    : Reason.BAD_SIGNATURE;
            assertThat(codec.verify(changed, NOW)).as("position %d", i).isEqualTo(new Invalid(expected));
        }
    }

    @Test
    void rejectsTheLastMacCharacterSpelledDifferentlyForTheSameBytes() {
        String cookie = codec.sign(token, NOW);
        char last = cookie.charAt(cookie.length() - 1);
        // 32 MAC bytes fill 43 characters with two spare bits: flipping them keeps the bytes.
        char sameBytes = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                .charAt("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".indexOf(last) ^ 1);
        String respelled = cookie.substring(0, cookie.length() - 1) + sameBytes;

        assertThat(codec.verify(respelled, NOW)).isEqualTo(new Invalid(Reason.BAD_SIGNATURE));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        ".|MALFORMED", "....|MALFORMED", "a.b|MALFORMED", "cookie-2026-11|MALFORMED",
        "cookie-2026-11..|MALFORMED", "cookie-2026-11....|MALFORMED", "%%%.1.2.3.4|UNKNOWN_KEY",
        "cookie-2026-11.1.2.3.4|BAD_SIGNATURE"})
    void rejectsGarbageWithItsReason(String presented, Reason reason) {
        assertThat(codec.verify(presented, NOW)).isEqualTo(new Invalid(reason));
    }

    @Test
    void rejectsEmptyNullAndOversizedValuesUnparsed() {
        assertThat(codec.verify("", NOW)).isEqualTo(new Invalid(Reason.MALFORMED));
        assertThat(codec.verify(null, NOW)).isEqualTo(new Invalid(Reason.MALFORMED));
        assertThat(codec.verify("x".repeat(SessionCookieCodec.MAX_LENGTH + 1), NOW))
                .isEqualTo(new Invalid(Reason.MALFORMED));
    }

    @Test
    void rejectsATruncatedCookie() {
        String cookie = codec.sign(token, NOW);

        assertThat(codec.verify(cookie.substring(0, cookie.length() - 1), NOW))
                .isEqualTo(new Invalid(Reason.BAD_SIGNATURE));
        assertThat(codec.verify(cookie.substring(0, cookie.lastIndexOf('.')), NOW))
                .isEqualTo(new Invalid(Reason.MALFORMED));
    }

    @Test
    void rejectsExtraDots() {
        String cookie = codec.sign(token, NOW);

        assertThat(codec.verify(cookie + ".", NOW)).isEqualTo(new Invalid(Reason.MALFORMED));
        assertThat(codec.verify(cookie.replaceFirst("\\.", ".."), NOW)).isEqualTo(new Invalid(Reason.MALFORMED));
    }

    @Test
    void rejectsBadBase64EvenWhenSignedByUs() {
        String body = active.kid() + "." + NOW.getEpochSecond() + ".not+base64/at.all";
        String forged = body + "." + macOf(body);

        assertThat(codec.verify(forged, NOW)).isEqualTo(new Invalid(Reason.MALFORMED));
    }

    @Test
    void rejectsACookieFromARetiredKey() {
        HmacKey old = hmac("cookie-old", KeyStatus.RETIRED);
        SessionCookieCodec before = new SessionCookieCodec(hmac("cookie-old", KeyStatus.ACTIVE), List.of(), LIFETIME, SKEW);
        SessionCookieCodec after = new SessionCookieCodec(active, List.of(active, old), LIFETIME, SKEW);

        assertThat(after.verify(before.sign(token, NOW), NOW)).isEqualTo(new Invalid(Reason.UNKNOWN_KEY));
    }

    @Test
    void acceptsACookieFromAVerifyOnlyKeyAfterRotation() {
        HmacKey previous = hmac("cookie-prev", KeyStatus.ACTIVE);
        String issuedBefore = new SessionCookieCodec(previous, List.of(), LIFETIME, SKEW).sign(token, NOW);
        HmacKey previousVerifyOnly = new HmacKey(previous.kid(), previous.secret(), KeyStatus.VERIFY_ONLY);
        SessionCookieCodec rotated = new SessionCookieCodec(active, List.of(active, previousVerifyOnly), LIFETIME, SKEW);

        assertThat(rotated.verify(issuedBefore, NOW)).isEqualTo(new Valid(token, "cookie-prev", NOW));
        assertThat(rotated.sign(token, NOW)).startsWith("cookie-2026-11.");
    }

    @Test
    void rejectsACookieSignedWithAForeignKeyUnderOurKeyId() {
        HmacKey foreign = hmac(active.kid(), KeyStatus.ACTIVE);
        String forged = new SessionCookieCodec(foreign, List.of(), LIFETIME, SKEW).sign(token, NOW);

        assertThat(codec.verify(forged, NOW)).isEqualTo(new Invalid(Reason.BAD_SIGNATURE));
    }

    @Test
    void rejectsACookieOlderThanTheAbsoluteLifetime() {
        String cookie = codec.sign(token, NOW);

        assertThat(codec.verify(cookie, NOW.plus(LIFETIME).minusSeconds(1))).isInstanceOf(Valid.class);
        assertThat(codec.verify(cookie, NOW.plus(LIFETIME))).isEqualTo(new Invalid(Reason.EXPIRED));
    }

    @Test
    void rejectsACookieIssuedBeyondTheSkewInTheFuture() {
        String cookie = codec.sign(token, NOW.plus(SKEW).plusSeconds(1));

        assertThat(codec.verify(cookie, NOW)).isEqualTo(new Invalid(Reason.ISSUED_IN_FUTURE));
        assertThat(codec.verify(codec.sign(token, NOW.plus(SKEW)), NOW)).isInstanceOf(Valid.class);
    }

    @Test
    void refusesKeyIdsThatCannotStandInTheEnvelope() {
        HmacKey dotted = hmac("a.b", KeyStatus.ACTIVE);

        assertThatThrownBy(() -> new SessionCookieCodec(dotted, List.of(), LIFETIME, SKEW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[A-Za-z0-9_-]");
    }

    @Test
    void rejectsAnEmptyMacAsMalformedBeforeAnyHmac() {
        assertThat(codec.verify("cookie-2026-11.1.2.3.", NOW)).isEqualTo(new Invalid(Reason.MALFORMED));
    }

    @Test
    void readsAValueOfExactlyTheMaximumLengthAndNoLonger() {
        String body = active.kid() + ".1.2.";
        String mac = "m".repeat(SessionCookieCodec.MAX_LENGTH - body.length() - 1);
        String longest = body + "3." + mac.substring(1);

        assertThat(longest).hasSize(SessionCookieCodec.MAX_LENGTH);
        assertThat(codec.verify(longest, NOW)).isEqualTo(new Invalid(Reason.BAD_SIGNATURE));
        assertThat(codec.verify(longest + "m", NOW)).isEqualTo(new Invalid(Reason.MALFORMED));
    }

    @Test
    void readsIssuedAtAsDecimalSecondsOfUpToTwelveDigitsWithoutLeadingZeros() {
        // given: envelopes signed with our key, only their issued-at spelled differently
        Instant latest = Instant.ofEpochSecond(999_999_999_999L);

        // then
        assertThat(codec.verify(codec.sign(token, latest), latest)).isEqualTo(new Valid(token, active.kid(), latest));
        assertThat(codec.verify(signedWithIssuedAt("0"), Instant.EPOCH.plusSeconds(1)))
                .isEqualTo(new Valid(token, active.kid(), Instant.EPOCH));
        assertThat(codec.verify(signedWithIssuedAt("9"), Instant.EPOCH.plusSeconds(10)))
                .isEqualTo(new Valid(token, active.kid(), Instant.EPOCH.plusSeconds(9)));
        for (String notAnIssuedAt : List.of("1000000000000", "01", "00", "/", ":", "1a", "-1", "+1")) {
            assertThat(codec.verify(signedWithIssuedAt(notAnIssuedAt), NOW)).as(notAnIssuedAt)
                    .isEqualTo(new Invalid(Reason.MALFORMED));
        }
    }

    private String signedWithIssuedAt(String issuedAt) {
        String body = active.kid() + "." + issuedAt + "." + token.encoded();
        return body + "." + macOf(body);
    }

    private String macOf(String body) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(active.secret());
            return java.util.Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(body.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void refusesAVerifyOnlyKeyWhoseIdCannotStandInTheEnvelope() {
        HmacKey dotted = hmac("old.key", KeyStatus.VERIFY_ONLY);

        assertThatThrownBy(() -> new SessionCookieCodec(active, List.of(active, dotted), LIFETIME, SKEW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key id old.key must be 1-64 characters of [A-Za-z0-9_-]");
    }

    @Test
    void takesKeyIdsOfOneToSixtyFourCharactersAndNoLonger() {
        HmacKey shortest = hmac("k", KeyStatus.ACTIVE);
        HmacKey longest = hmac("k".repeat(64), KeyStatus.ACTIVE);
        SessionCookieCodec withLongest = new SessionCookieCodec(longest, List.of(shortest), LIFETIME, SKEW);

        assertThat(withLongest.verify(withLongest.sign(token, NOW), NOW)).isInstanceOf(Valid.class);
        assertThatThrownBy(() -> new SessionCookieCodec(hmac("k".repeat(65), KeyStatus.ACTIVE), List.of(), LIFETIME, SKEW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key id " + "k".repeat(65) + " must be 1-64 characters of [A-Za-z0-9_-]");
        assertThatThrownBy(() -> new SessionCookieCodec(hmac("", KeyStatus.ACTIVE), List.of(), LIFETIME, SKEW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key id  must be 1-64 characters of [A-Za-z0-9_-]");
    }
}
