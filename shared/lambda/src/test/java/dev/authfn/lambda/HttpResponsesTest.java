package dev.authfn.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpResponsesTest {

    @Test
    void aPageIsUtf8HtmlThatIsNeverStoredAndItsHeadersTakeThePagesOwn() {
        APIGatewayV2HTTPResponse response = HttpResponses.html(400, "<p>x</p>");
        response.getHeaders().put("X-Frame-Options", "DENY");

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(response.getBody()).isEqualTo("<p>x</p>");
        assertThat(response.getHeaders()).containsExactly(Map.entry("Content-Type", "text/html; charset=utf-8"),
                Map.entry("Cache-Control", "no-store"), Map.entry("X-Content-Type-Options", "nosniff"),
                Map.entry("X-Frame-Options", "DENY"));
        assertThat(response.getCookies()).isNull();
    }

    @Test
    void aRedirectIsA302WithItsLocationAndNoBody() {
        APIGatewayV2HTTPResponse response = HttpResponses.redirect("https://app.example/cb?code=x&state=y");

        assertThat(response.getStatusCode()).isEqualTo(302);
        assertThat(response.getBody()).isNull();
        assertThat(response.getHeaders()).containsExactly(Map.entry("Cache-Control", "no-store"),
                Map.entry("X-Content-Type-Options", "nosniff"), Map.entry("Location", "https://app.example/cb?code=x&state=y"));
    }

    @Test
    void anEmptyAnswerHasNoBodyAndNoContentType() {
        APIGatewayV2HTTPResponse response = HttpResponses.empty(200);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getBody()).isNull();
        assertThat(response.getHeaders()).containsOnlyKeys("Cache-Control", "X-Content-Type-Options");
    }
}
