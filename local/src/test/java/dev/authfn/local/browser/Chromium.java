package dev.authfn.local.browser;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Debian's Chromium, headless, with a fresh profile, driven over the DevTools protocol. Nothing is
 * downloaded: the browser is the system package ({@value #INSTALL}), and a missing one is an error
 * that says how to install it, never a skipped test.
 */
public final class Chromium implements AutoCloseable {

    /** Where Debian's package puts the browser. */
    public static final Path DEBIAN_CHROMIUM = Path.of("/usr/bin/chromium");

    /** How to get it on Debian (as root). */
    public static final String INSTALL = "apt-get update && apt-get install -y chromium";

    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final int STDERR_LINES_KEPT = 200;

    private final Process process;
    private final Path profile;
    private final List<String> stderr;
    private final DevTools devTools;

    private Chromium(Process process, Path profile, List<String> stderr, DevTools devTools) {
        this.process = process;
        this.profile = profile;
        this.stderr = stderr;
        this.devTools = devTools;
    }

    /**
     * Starts {@code executable} headless and connects to it.
     *
     * @throws IllegalStateException when the executable is missing (with the install command) or the
     *                               browser does not offer a DevTools endpoint within {@code timeout}
     */
    public static Chromium launch(Path executable, Duration timeout) throws IOException, InterruptedException {
        if (!Files.isExecutable(executable)) {
            throw new IllegalStateException("the browser test needs Debian's Chromium at " + executable
                    + ", which is missing. Install it with: " + INSTALL
                    + " (.ci/run does this before ./authfn test -Pbrowser; no other browser download is used)");
        }
        Path profile = Files.createTempDirectory("authfn-chromium-");
        Process process = new ProcessBuilder(executable.toString(),
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--password-store=basic", "--remote-debugging-port=0",
                "--user-data-dir=" + profile, "about:blank")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        List<String> stderr = new ArrayList<>();
        CompletableFuture<URI> endpoint = new CompletableFuture<>();
        Thread reader = new Thread(() -> readStderr(process, stderr, endpoint), "chromium-stderr");
        reader.setDaemon(true);
        reader.start();
        try {
            URI webSocket = endpoint.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Chromium(process, profile, stderr, DevTools.connect(webSocket, timeout));
        } catch (ExecutionException | TimeoutException e) {
            stop(process);
            deleteTree(profile);
            throw new IllegalStateException("Chromium (" + executable + ") offered no DevTools endpoint within "
                    + timeout + "; its stderr:\n  " + String.join("\n  ", copy(stderr)), e);
        }
    }

    /** The protocol connection to the browser. */
    public DevTools devTools() {
        return devTools;
    }

    /** Opens a new tab on {@code about:blank}, attached and with the Page, Runtime and Network domains on. */
    public Tab newTab(Duration timeout) {
        String targetId = (String) devTools.send("Target.createTarget", Map.of("url", "about:blank")).get("targetId");
        String sessionId = (String) devTools.send("Target.attachToTarget",
                Map.of("targetId", targetId, "flatten", true)).get("sessionId");
        Tab tab = new Tab(devTools, sessionId, timeout);
        tab.send("Page.enable", Map.of());
        tab.send("Runtime.enable", Map.of());
        tab.send("Network.enable", Map.of());
        return tab;
    }

    /** What the browser wrote on stderr (the last lines), for failure reports. */
    public List<String> stderr() {
        return copy(stderr);
    }

    /** Closes the browser (politely, then by force) and deletes its profile. */
    @Override
    public void close() {
        try {
            devTools.send("Browser.close", Map.of());
        } catch (RuntimeException e) {
            // It may already be gone, or close before answering: stop() below makes sure.
        }
        devTools.close();
        stop(process);
        deleteTree(profile);
    }

    private static void readStderr(Process process, List<String> lines, CompletableFuture<URI> endpoint) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (lines) {
                    lines.add(line);
                    if (lines.size() > STDERR_LINES_KEPT) {
                        lines.remove(0);
                    }
                }
                Matcher listening = LISTENING.matcher(line);
                if (listening.find()) {
                    endpoint.complete(URI.create(listening.group(1)));
                }
            }
            endpoint.completeExceptionally(new IllegalStateException("Chromium exited with " + process.waitFor()));
        } catch (IOException e) {
            endpoint.completeExceptionally(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            endpoint.completeExceptionally(e);
        }
    }

    /** Ends the browser and the processes it started (renderers, GPU, zygotes): all of them ours. */
    private static void stop(Process process) {
        List<ProcessHandle> children = process.descendants().toList();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private static List<String> copy(List<String> lines) {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | UncheckedIOException e) {
            // Best effort: a file the last browser process still held is left in the temp folder.
        }
    }
}
