package dev.authfn.local.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StaticFilesTest {

    private final StaticFiles demo = StaticFiles.demoPage();

    @Test
    void servesThePageAtTheRootWithTheSecurityHeaders() {
        StaticFiles.Response page = demo.lookup("GET", "/").orElseThrow();

        assertThat(page.headers()).containsExactly(
                Map.entry("Content-Type", "text/html; charset=utf-8"),
                Map.entry("Cache-Control", "no-store"),
                Map.entry("Content-Security-Policy", StaticFiles.CONTENT_SECURITY_POLICY),
                Map.entry("X-Content-Type-Options", "nosniff"),
                Map.entry("Referrer-Policy", "no-referrer"));
        assertThat(new String(page.body(), StandardCharsets.UTF_8)).startsWith("<!doctype html>");
    }

    @Test
    void servesTheScriptAndStylesheetTheirPageLoads() {
        String page = new String(demo.lookup("GET", "/").orElseThrow().body(), StandardCharsets.UTF_8);

        assertThat(page).contains("src=\"/app.js\"", "href=\"/app.css\"");
        assertThat(demo.lookup("GET", "/app.js").orElseThrow().headers())
                .contains(Map.entry("Content-Type", "text/javascript; charset=utf-8"));
        assertThat(demo.lookup("GET", "/app.css").orElseThrow().headers())
                .contains(Map.entry("Content-Type", "text/css; charset=utf-8"));
    }

    @Test
    void answersHeadLikeGet() {
        assertThat(demo.lookup("HEAD", "/")).isPresent();
    }

    @Test
    void servesNothingForOtherMethodsOrPaths() {
        assertThat(demo.lookup("POST", "/")).isEmpty();
        assertThat(demo.lookup("GET", "/index.html")).isEmpty();
        assertThat(demo.lookup("GET", "/app.js/")).isEmpty();
        assertThat(demo.lookup("GET", "")).isEmpty();
    }

    @Test
    void noneServesNothing() {
        assertThat(StaticFiles.none().lookup("GET", "/")).isEmpty();
    }

    @Test
    void drawsAPostedOtpauthUriAsAnSvgQrCodeWithTheSecurityHeaders() {
        byte[] uri = "otpauth://totp/authfn:alice?secret=JBSWY3DPEHPK3PXP&issuer=authfn".getBytes(StandardCharsets.UTF_8);

        StaticFiles.Response qr = demo.generated("POST", "/demo/qr", uri).orElseThrow();

        assertThat(qr.status()).isEqualTo(200);
        assertThat(qr.headers()).containsExactly(
                Map.entry("Content-Type", "image/svg+xml; charset=utf-8"),
                Map.entry("Cache-Control", "no-store"),
                Map.entry("Content-Security-Policy", StaticFiles.CONTENT_SECURITY_POLICY),
                Map.entry("X-Content-Type-Options", "nosniff"),
                Map.entry("Referrer-Policy", "no-referrer"));
        String svg = new String(qr.body(), StandardCharsets.UTF_8);
        // 68 bytes in byte mode at level M need version 5 (at most 84; version 4 holds 62): 37 modules, and a 4-module quiet zone each side.
        assertThat(svg).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 45 45\"")
                .endsWith("\"/></svg>")
                .doesNotContain("<script", "href", "<text", "JBSWY3DPEHPK3PXP");
        // The top-left finder pattern's first row: seven dark modules from (4,4).
        assertThat(svg).contains("M4,4h1v1h-1zM5,4h1v1h-1zM6,4h1v1h-1zM7,4h1v1h-1zM8,4h1v1h-1zM9,4h1v1h-1zM10,4h1v1h-1z");
    }

    @Test
    void refusesToDrawAnEmptyOverLongOrMalformedBody() {
        for (byte[] body : new byte[][] {new byte[0], new byte[QrSvg.MAX_TEXT_BYTES + 1], {(byte) 0xC3, (byte) 0x28}}) {
            StaticFiles.Response refused = demo.generated("POST", "/demo/qr", body).orElseThrow();

            assertThat(refused.status()).isEqualTo(400);
            assertThat(new String(refused.body(), StandardCharsets.UTF_8))
                    .isEqualTo("post an otpauth URI of at most 1024 bytes\n");
        }
        assertThat(demo.generated("POST", "/demo/qr", new byte[QrSvg.MAX_TEXT_BYTES]).orElseThrow().status())
                .isEqualTo(200);
    }

    @Test
    void drawsOnlyAtItsOwnRouteAndOnlyWithTheDemoPage() {
        byte[] uri = "otpauth://totp/x".getBytes(StandardCharsets.UTF_8);

        assertThat(demo.generated("GET", "/demo/qr", uri)).isEmpty();
        assertThat(demo.generated("POST", "/demo/qr/", uri)).isEmpty();
        assertThat(demo.lookup("GET", "/demo/qr")).isEmpty();
        assertThat(StaticFiles.none().generated("POST", "/demo/qr", uri)).isEmpty();
    }
}
