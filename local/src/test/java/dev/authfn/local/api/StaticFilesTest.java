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
}
