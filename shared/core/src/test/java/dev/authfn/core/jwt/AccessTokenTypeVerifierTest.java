package dev.authfn.core.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import com.nimbusds.jose.JOSEObjectType;
import dev.authfn.core.jwt.AccessTokenResult.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AccessTokenTypeVerifierTest {
    private final AccessTokenTypeVerifier verifier = new AccessTokenTypeVerifier();

    @ParameterizedTest
    @ValueSource(strings = {"at+jwt", "AT+JWT", "At+Jwt"})
    void acceptsAtJwtInAnyLetterCase(String typ) {
        assertDoesNotThrow(() -> verifier.verify(new JOSEObjectType(typ), null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"JWT", "jwt", "application/jwt", "at+jwt ", "application/at+jwt", ""})
    void refusesAnyOtherTypAsWrongTyp(String typ) {
        HeaderRejection rejection = catchThrowableOfType(HeaderRejection.class,
                () -> verifier.verify(new JOSEObjectType(typ), null));

        assertThat(rejection).isNotNull();
        assertThat(rejection.reason()).isEqualTo(Reason.WRONG_TYP);
    }

    @Test
    void refusesMissingTypAsWrongTyp() {
        HeaderRejection rejection = catchThrowableOfType(HeaderRejection.class, () -> verifier.verify(null, null));

        assertThat(rejection).isNotNull();
        assertThat(rejection.reason()).isEqualTo(Reason.WRONG_TYP);
    }
}
