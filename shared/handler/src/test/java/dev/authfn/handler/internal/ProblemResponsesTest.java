package dev.authfn.handler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProblemResponsesTest {

    @Test
    void quotesQuotesBackslashesAndControlCharacters() {
        assertThat(ProblemResponses.quote("a\"b\\c\nd\re\tf\u0001g/é")).isEqualTo("\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g/é\"");
    }
}
