package dev.authfn.local.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestHeadTest {

    @Test
    void readsTheBodyLengthTheJdkWouldRead() throws IOException {
        RequestHead.Read read = read("POST /x HTTP/1.1\r\ncontent-LENGTH: \t12 \r\n\r\nbody");

        assertThat(read).isInstanceOfSatisfying(RequestHead.Head.class, head -> {
            assertThat(head.head().framing()).isEqualTo(new RequestHead.Framing.Length(12));
            assertThat(new String(head.head().bytes(), StandardCharsets.ISO_8859_1))
                    .isEqualTo("POST /x HTTP/1.1\r\ncontent-LENGTH: \t12 \r\n\r\n");
        });
    }

    @Test
    void readsAChunkedBodyAndNoBodyWithoutLengthHeaders() throws IOException {
        assertThat(((RequestHead.Head) read("POST /x HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\n")).head().framing())
                .isEqualTo(new RequestHead.Framing.Chunked());
        assertThat(((RequestHead.Head) read("GET /x HTTP/1.1\r\n\r\n")).head().framing())
                .isEqualTo(new RequestHead.Framing.Length(0));
    }

    @Test
    void skipsEmptyLinesBeforeTheRequestLine() throws IOException {
        RequestHead.Read read = read("\r\n\r\nGET /x HTTP/1.1\r\n\r\n");

        assertThat(new String(((RequestHead.Head) read).head().bytes(), StandardCharsets.ISO_8859_1))
                .isEqualTo("GET /x HTTP/1.1\r\n\r\n");
    }

    @Test
    void namesWhatIsMalformedWithoutRepeatingIt() throws IOException {
        assertThat(read("GET /prot%zzected HTTP/1.1\r\n\r\n")).isEqualTo(new RequestHead.Malformed("BAD_TARGET"));
        assertThat(read("GET /x HTTP/1.1\r\nContent-Length: abc\r\n\r\n"))
                .isEqualTo(new RequestHead.Malformed("BAD_CONTENT_LENGTH"));
        assertThat(read("GET /x HTTP/1.1\r\nContent-Length: +5\r\n\r\n"))
                .isEqualTo(new RequestHead.Malformed("BAD_CONTENT_LENGTH"));
        assertThat(read("GET /x HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n"))
                .isEqualTo(new RequestHead.Malformed("BAD_CONTENT_LENGTH"));
        assertThat(read("\nGET /x HTTP/1.1\r\n\r\n")).isEqualTo(new RequestHead.Malformed("BARE_CR_OR_LF"));
        assertThat(read("G(T /x HTTP/1.1\r\n\r\n")).isEqualTo(new RequestHead.Malformed("BAD_REQUEST_LINE"));
    }

    @Test
    void stopsAtTheJdksHeadLimitAndAtTheEndOfTheStream() throws IOException {
        String huge = "GET /x HTTP/1.1\r\nX-Pad: " + "a".repeat(RequestHead.MAX_HEAD_BYTES) + "\r\n\r\n";

        assertThat(read(huge)).isEqualTo(new RequestHead.TooLarge());
        assertThat(read("GET /x HTTP/1.1\r\nX-A: 1\r\n")).isEqualTo(new RequestHead.End());
        assertThat(read("")).isEqualTo(new RequestHead.End());
    }

    private static RequestHead.Read read(String text) throws IOException {
        return RequestHead.read(new BufferedInputStream(new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1))));
    }
}
