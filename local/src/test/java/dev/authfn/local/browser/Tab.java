package dev.authfn.local.browser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One page of the browser, attached over {@link DevTools}: navigate, evaluate, click and type the
 * way a user does (mouse and keyboard input events, not {@code element.click()}), read cookies,
 * take screenshots. Waits poll until a deadline; none sleeps a fixed time.
 */
public final class Tab {

    private static final Duration POLL = Duration.ofMillis(25);

    private final DevTools devTools;
    private final String sessionId;
    private final Duration timeout;

    Tab(DevTools devTools, String sessionId, Duration timeout) {
        this.devTools = devTools;
        this.sessionId = sessionId;
        this.timeout = timeout;
    }

    /** The protocol session of this page; events with it are this page's. */
    public String sessionId() {
        return sessionId;
    }

    /** Sends a command to this page. */
    public Map<String, Object> send(String method, Map<String, Object> params) {
        return devTools.send(sessionId, method, params);
    }

    /** Sets the viewport (CSS pixels, device scale 1). */
    public void viewport(int width, int height) {
        send("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
    }

    /** Opens {@code url} and waits until the document at that URL has loaded. */
    public void navigate(String url) {
        Map<String, Object> result = send("Page.navigate", Map.of("url", url));
        if (result.get("errorText") instanceof String error && !error.isEmpty()) {
            throw new IllegalStateException("cannot open " + url + ": " + error);
        }
        await("the page " + url + " to load", () -> {
            try {
                return evaluate("document.readyState === 'complete' ? location.href : ''");
            } catch (DevTools.CommandFailed e) {
                return e.getMessage(); // the old document's context went away mid-navigation: ask again
            }
        }, url::equals);
    }

    /**
     * Evaluates a JavaScript expression in the page (awaiting a promise) and returns its value as
     * JSON types: String, Boolean, Long or Double, List, Map, or null.
     *
     * @throws IllegalStateException when the expression throws
     */
    public Object evaluate(String expression) {
        Map<String, Object> reply = send("Runtime.evaluate",
                Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
        if (reply.containsKey("exceptionDetails")) {
            throw new IllegalStateException("the page threw evaluating " + expression + ": " + reply.get("exceptionDetails"));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) reply.get("result");
        return result.get("value");
    }

    /** {@link #evaluate} for an expression whose value is a string. */
    public String text(String expression) {
        return (String) evaluate(expression);
    }

    /** Clicks the middle of the element {@code selector} names with the mouse's left button. */
    public void click(String selector) {
        @SuppressWarnings("unchecked")
        Map<String, Object> point = (Map<String, Object>) evaluate("(() => { const e = document.querySelector("
                + quote(selector) + "); e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
                + " return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()");
        double x = ((Number) point.get("x")).doubleValue();
        double y = ((Number) point.get("y")).doubleValue();
        send("Input.dispatchMouseEvent", Map.of("type", "mouseMoved", "x", x, "y", y));
        for (String type : List.of("mousePressed", "mouseReleased")) {
            send("Input.dispatchMouseEvent", Map.of("type", type, "x", x, "y", y, "button", "left", "clickCount", 1));
        }
    }

    /** Clicks into the field {@code selector} names and types {@code text} into it. */
    public void type(String selector, String text) {
        click(selector);
        await("focus on " + selector, () -> evaluate("document.activeElement === document.querySelector(" + quote(selector) + ")"),
                Boolean.TRUE::equals);
        send("Input.insertText", Map.of("text", text));
    }

    /** The browser's cookies for {@code url}, as {@code Network.getCookies} gives them. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> cookies(String url) {
        return (List<Map<String, Object>>) send("Network.getCookies", Map.of("urls", List.of(url))).get("cookies");
    }

    /** Saves what the viewport shows as a PNG. */
    public Path screenshot(Path file) throws IOException {
        String png = (String) send("Page.captureScreenshot", Map.of("format", "png")).get("data");
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Base64.getDecoder().decode(png));
        return file;
    }

    /** This page's protocol events with {@code method}, oldest first. */
    public List<DevTools.Event> events(String method) {
        return devTools.events().stream()
                .filter(event -> sessionId.equals(event.sessionId()) && method.equals(event.method()))
                .toList();
    }

    /**
     * Polls {@code value} until {@code done} accepts it and returns that value.
     *
     * @throws AssertionError naming {@code what} and the last value when the deadline passes
     */
    public <T> T await(String what, Supplier<T> value, Predicate<? super T> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = value.get();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + timeout + " for " + what + "; last saw " + last);
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + what, e);
            }
            last = value.get();
        }
        return last;
    }

    /** A JavaScript string literal for {@code value}. */
    public static String quote(String value) {
        StringBuilder quoted = new StringBuilder("'");
        for (char c : Objects.requireNonNull(value).toCharArray()) {
            switch (c) {
                case '\'', '\\' -> quoted.append('\\').append(c);
                case '\n' -> quoted.append("\\n");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('\'').toString();
    }
}
