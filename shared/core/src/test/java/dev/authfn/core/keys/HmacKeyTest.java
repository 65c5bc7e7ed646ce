package dev.authfn.core.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class HmacKeyTest {

    private static SecretKeySpec secret(int bytes, String algorithm) {
        byte[] material = new byte[bytes];
        Arrays.fill(material, (byte) 7);
        return new SecretKeySpec(material, algorithm);
    }

    @Test
    void acceptsAKeyOfExactly256Bits() {
        HmacKey key = new HmacKey("cookie-1", secret(32, "HmacSHA256"), KeyStatus.ACTIVE);

        assertThat(key.secret().getEncoded()).hasSize(32);
    }

    @Test
    void refusesAKeyOneByteShorterThan256Bits() {
        assertThatThrownBy(() -> new HmacKey("cookie-1", secret(31, "HmacSHA256"), KeyStatus.ACTIVE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("HMAC key cookie-1 is shorter than 256 bits");
    }

    @Test
    void refusesAKeyOfAnotherAlgorithmWhateverItsLength() {
        assertThatThrownBy(() -> new HmacKey("cookie-1", secret(64, "HmacSHA512"), KeyStatus.ACTIVE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("HMAC key cookie-1 is not HmacSHA256");
    }

    @Test
    void everyKeyButARetiredOneVerifies() {
        assertThat(new HmacKey("k", secret(32, "HmacSHA256"), KeyStatus.ACTIVE).canVerify()).isTrue();
        assertThat(new HmacKey("k", secret(32, "HmacSHA256"), KeyStatus.VERIFY_ONLY).canVerify()).isTrue();
        assertThat(new HmacKey("k", secret(32, "HmacSHA256"), KeyStatus.RETIRED).canVerify()).isFalse();
    }

    @Test
    void toStringShowsKidAndStatusButNoKeyMaterial() {
        HmacKey key = new HmacKey("cookie-1", secret(32, "HmacSHA256"), KeyStatus.VERIFY_ONLY);

        assertThat(key.toString()).isEqualTo("HmacKey[kid=cookie-1, status=VERIFY_ONLY]");
    }
}
