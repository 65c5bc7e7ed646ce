package dev.authfn.functions.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import org.junit.jupiter.api.Test;

class HostedPagesTest {

    @Test
    void anErrorPageEscapesItsTitleAndMessageSoNeitherAddsMarkup() {
        APIGatewayV2HTTPResponse page = HostedPages.error(400, "<b>x</b>", "<script>alert('1')</script> & \"q\"");

        assertThat(page.getBody()).contains("<title>&lt;b&gt;x&lt;/b&gt;</title>")
                .contains("<p>&lt;script&gt;alert(&#39;1&#39;)&lt;/script&gt; &amp; &quot;q&quot;</p>")
                .doesNotContain("<script>").doesNotContain("<b>");
        assertThat(page.getHeaders()).containsEntry("Content-Security-Policy", HostedPages.CONTENT_SECURITY_POLICY);
    }

    @Test
    void theErrorPageCarriesTheLoginPagesStyleSoTheOnePolicyAllowsIt() {
        assertThat(HostedPages.error(503, "t", "m").getBody()).contains("<style>" + HostedPages.STYLE + "</style>");
        assertThat(HostedPages.CONTENT_SECURITY_POLICY).contains("'sha256-" + HostedPages.sha256(HostedPages.STYLE) + "'")
                .contains("'sha256-" + HostedPages.sha256(HostedPages.SCRIPT) + "'")
                .doesNotContain("unsafe-inline").doesNotContain("*");
    }

    @Test
    void theLoginPageHoldsItsScriptAndStyleAsServed() {
        assertThat(HostedPages.LOGIN).contains("<script>" + HostedPages.SCRIPT + "</script>")
                .contains("<style>" + HostedPages.STYLE + "</style>").doesNotContain("{{");
    }
}
