package dev.authfn.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpRequestsTest {

    private static final int LIMIT = 16 * 1024;

    @Test
    void aPlainBodyCountsItsUtf8BytesNotItsCharacters() {
        String threeBytesEach = "€".repeat(LIMIT / 3 + 1); // 5,462 characters, 16,386 bytes

        APIGatewayV2HTTPEvent event = plain(threeBytesEach);

        assertThat(HttpRequests.bodySize(event)).isEqualTo(16_386);
        assertThat(HttpRequests.body(event, LIMIT)).isEmpty();
    }

    @Test
    void aPlainBodyOfExactlyTheLimitInBytesIsRead() {
        String body = "é".repeat(LIMIT / 2); // two bytes each

        APIGatewayV2HTTPEvent event = plain(body);

        assertThat(HttpRequests.bodySize(event)).isEqualTo(LIMIT);
        assertThat(HttpRequests.body(event, LIMIT)).contains(body);
        assertThat(HttpRequests.body(plain(body + "a"), LIMIT)).isEmpty();
    }

    @Test
    void fourByteCharactersCountFourBytes() {
        assertThat(HttpRequests.bodySize(plain("😀a"))).isEqualTo(5);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 16_383, 16_384, 16_385})
    void aBase64BodyCountsTheBytesItDecodesTo(int bytes) {
        byte[] raw = new byte[bytes];
        java.util.Arrays.fill(raw, (byte) 'a');

        APIGatewayV2HTTPEvent padded = base64(Base64.getEncoder().encodeToString(raw));
        APIGatewayV2HTTPEvent unpadded = base64(Base64.getEncoder().withoutPadding().encodeToString(raw));

        assertThat(HttpRequests.bodySize(padded)).isEqualTo(bytes);
        assertThat(HttpRequests.bodySize(unpadded)).isEqualTo(bytes);
        assertThat(HttpRequests.body(padded, LIMIT).isPresent()).isEqualTo(bytes <= LIMIT);
    }

    @Test
    void aBase64BodyOfExactlyTheLimitIsNotTooLarge() {
        String encoded = Base64.getEncoder().encodeToString("x".repeat(LIMIT).getBytes(StandardCharsets.UTF_8));

        assertThat(HttpRequests.bodySize(base64(encoded))).isEqualTo(LIMIT);
    }

    private static APIGatewayV2HTTPEvent plain(String body) {
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setBody(body);
        event.setIsBase64Encoded(false);
        return event;
    }

    private static APIGatewayV2HTTPEvent base64(String body) {
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setBody(body);
        event.setIsBase64Encoded(true);
        return event;
    }
}
