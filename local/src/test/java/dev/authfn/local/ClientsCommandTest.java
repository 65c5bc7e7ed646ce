package dev.authfn.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.auth.Components;
import dev.authfn.core.config.AuthfnConfig;
import dev.authfn.core.json.Json;
import dev.authfn.core.keys.KeySet;
import dev.authfn.core.oauth.OAuthClient;
import dev.authfn.core.oauth.OAuthCredential;
import dev.authfn.testkit.InMemoryOAuthStore;
import dev.authfn.testkit.InMemoryStores;
import dev.authfn.testkit.InMemoryUserStore;
import dev.authfn.testkit.MutableClock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code clients add | list | remove} against an in-memory root, as a {@code start-api} runs them
 * for the CLI: what is stored, what is printed, and that a secret is printed once and stored only
 * as its hash.
 */
class ClientsCommandTest {

    private static final String NL = System.lineSeparator();
    private static final String ROW = "%-24s %-12s %-40s %s%n";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:00.250Z"));
    private final InMemoryUserStore users = new InMemoryUserStore();
    private final InMemoryOAuthStore oauth = users.oauth();
    private final Components root = Components.of(
            AuthfnConfig.fromEnvironment(Map.of(), EnumSet.noneOf(AuthfnConfig.Requirement.class)),
            new InMemoryStores(new dev.authfn.testkit.InMemorySessionStore(), users), () -> KeySet.generate(clock), clock);
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void addsAPublicClientWithTheDefaultScopesAndPrintsItsCorsOrigins() {
        assertThat(cli("clients", "add", "spa", "--redirect-uri", "https://app.example/callback",
                "--redirect-uri", "http://127.0.0.1/cb", "--redirect-uri", "com.example.app:/cb")).isZero();

        OAuthClient spa = oauth.client("spa").orElseThrow();
        assertThat(spa.isPublic()).isTrue();
        assertThat(spa.redirectUris()).containsExactly("https://app.example/callback", "http://127.0.0.1/cb",
                "com.example.app:/cb");
        assertThat(spa.scopes()).containsExactlyInAnyOrder("openid", "profile", "email", "offline_access");
        assertThat(spa.createdAt()).isEqualTo(clock.instant());
        assertThat(stdout()).isEqualTo("authfn: added public client spa" + NL
                + "  redirect URIs: https://app.example/callback http://127.0.0.1/cb com.example.app:/cb" + NL
                + "  scopes:        openid profile email offline_access" + NL
                + "  CORS origins:  https://app.example http://127.0.0.1" + NL);
        assertThat(stderr()).isEmpty();
    }

    @Test
    void addsAConfidentialClientPrintingItsSecretOnceAndStoringOnlyTheHash() {
        assertThat(cli("clients", "add", "billing", "--redirect-uri", "https://billing.example/cb", "--confidential",
                "--scope", "openid posts:create")).isZero();

        List<String> lines = stdout().lines().toList();
        assertThat(lines).hasSize(5);
        assertThat(lines.subList(0, 4)).containsExactly("authfn: added confidential client billing",
                "  redirect URIs: https://billing.example/cb", "  scopes:        openid posts:create",
                "authfn: the client secret is on the next line. It is shown once and cannot be recovered (only its "
                        + "hash is stored); to replace it, remove the client and add it again.");
        String secret = lines.get(4);
        assertThat(secret).hasSize(OAuthCredential.ENCODED_LENGTH).hasSize(43).matches("[A-Za-z0-9_-]{43}");
        OAuthClient billing = oauth.client("billing").orElseThrow();
        assertThat(billing.isPublic()).isFalse();
        assertThat(billing.secretHash()).hasValue(OAuthCredential.hash(secret));
        assertThat(billing.secretMatches(secret)).isTrue();
        assertThat(billing.corsOrigins()).isEmpty();
        assertThat(billing.scopes()).containsExactlyInAnyOrder("openid", "posts:create");
        assertThat(stderr()).doesNotContain(secret);

        assertThat(cli("clients", "add", "other", "--redirect-uri", "https://other.example/cb", "--confidential"))
                .isZero();
        assertThat(stdout().lines().toList().getLast()).as("a new secret per client").isNotEqualTo(secret);
    }

    @Test
    void refusesAnExistingIdAndKeepsTheClientAsItWas() {
        assertThat(cli("clients", "add", "spa", "--redirect-uri", "https://app.example/callback")).isZero();
        OAuthClient before = oauth.client("spa").orElseThrow();

        assertThat(cli("clients", "add", "spa", "--redirect-uri", "https://other.example/cb", "--confidential"))
                .isEqualTo(1);

        assertThat(stderr()).isEqualTo("authfn: client spa exists; to change it, remove it and add it again" + NL);
        assertThat(stdout()).as("no secret for a client that was not added").isEmpty();
        assertThat(oauth.client("spa")).hasValue(before);
    }

    @Test
    void refusesAPlainHttpRedirectUriOrOneWithAFragmentNamingTheProblem() {
        assertThat(cli("clients", "add", "spa", "--redirect-uri", "https://app.example/callback",
                "--redirect-uri", "http://evil.example/cb")).isEqualTo(2);
        assertThat(stderr()).isEqualTo("authfn: --redirect-uri: an http redirect URI must be a loopback one (127.0.0.1,"
                + " [::1] or localhost); use https (http://evil.example/cb)" + NL
                + "See './authfn clients add --help'." + NL);

        assertThat(cli("clients", "add", "spa", "--redirect-uri", "https://app.example/callback#x")).isEqualTo(2);
        assertThat(stderr()).isEqualTo("authfn: --redirect-uri: a redirect URI must not have a fragment"
                + " (https://app.example/callback#x)" + NL + "See './authfn clients add --help'." + NL);

        assertThat(cli("clients", "add", "spa", "--redirect-uri", "https://app.example/cb",
                "--redirect-uri", "https://app.example/cb")).isEqualTo(2);
        assertThat(stderr()).startsWith("authfn: --redirect-uri: a client has at most 10 distinct redirect URIs" + NL);

        assertThat(cli("clients", "add", "spa")).isEqualTo(2);
        assertThat(stderr()).startsWith("authfn: Missing required option: '--redirect-uri=URI'" + NL);
        assertThat(stdout()).isEmpty();
        assertThat(oauth.clients()).isEmpty();
    }

    @Test
    void refusesABadScopeListABadIdAndBothKinds() {
        assertThat(cli("clients", "add", "spa", "--redirect-uri", "https://app.example/cb", "--scope",
                "openid \"profile\"")).isEqualTo(2);
        assertThat(stderr()).isEqualTo("authfn: --scope: one or more scopes separated by single spaces, each printable"
                + " ASCII without quotes or backslashes, got 'openid \"profile\"'" + NL
                + "See './authfn clients add --help'." + NL);
        assertThat(cli("clients", "add", "spa", "--redirect-uri", "https://app.example/cb", "--scope", "")).isEqualTo(2);
        assertThat(stderr()).startsWith("authfn: --scope: one or more scopes");

        assertThat(cli("clients", "add", "-spa", "--redirect-uri", "https://app.example/cb")).isEqualTo(2);
        assertThat(cli("clients", "add", "my app", "--redirect-uri", "https://app.example/cb")).isEqualTo(2);
        assertThat(stderr()).startsWith("authfn: Invalid value for positional parameter at index 0 (ID): not a"
                + " valid client id");

        assertThat(cli("clients", "add", "spa", "--redirect-uri", "https://app.example/cb", "--public",
                "--confidential")).isEqualTo(2);
        assertThat(stderr()).startsWith("authfn: Error: --public, --confidential are mutually exclusive");
        assertThat(oauth.clients()).isEmpty();
    }

    @Test
    void listsOneClientALineByIdWithoutASecretAndTheSameAsJson() {
        assertThat(cli("clients", "add", "spa", "--redirect-uri", "https://app.example/callback", "--public",
                "--scope", "posts:read openid email")).isZero();
        assertThat(cli("clients", "add", "billing", "--redirect-uri", "https://billing.example/cb",
                "--redirect-uri", "https://billing.example/cb2", "--confidential")).isZero();
        String secret = stdout().lines().toList().getLast();
        String hash = oauth.client("billing").orElseThrow().secretHash().orElseThrow();

        assertThat(cli("clients", "list")).isZero();
        assertThat(stdout()).isEqualTo(String.format(ROW, "id", "type", "scopes", "redirect URIs")
                + String.format(ROW, "billing", "confidential", "openid,profile,email,offline_access",
                        "https://billing.example/cb https://billing.example/cb2")
                + String.format(ROW, "spa", "public", "openid,email,posts:read", "https://app.example/callback")
                + "2 client(s)" + NL)
                .doesNotContain(secret).doesNotContain(hash);

        assertThat(cli("clients", "list", "--json")).isZero();
        assertThat(stdout()).doesNotContain(secret).doesNotContain(hash);
        assertThat(Json.parseObject(stdout()).orElseThrow()).isEqualTo(Map.of("clients", List.of(
                Map.of("client_id", "billing", "type", "confidential",
                        "redirect_uris", List.of("https://billing.example/cb", "https://billing.example/cb2"),
                        "scopes", List.of("openid", "profile", "email", "offline_access"),
                        "created", "2026-12-03T10:00:00Z"),
                Map.of("client_id", "spa", "type", "public", "redirect_uris", List.of("https://app.example/callback"),
                        "scopes", List.of("openid", "email", "posts:read"), "created", "2026-12-03T10:00:00Z"))));
    }

    @Test
    void listsNoClientsAsAnEmptyTableAndAnEmptyJsonList() {
        assertThat(cli("clients", "list")).isZero();
        assertThat(stdout()).isEqualTo(String.format(ROW, "id", "type", "scopes", "redirect URIs") + "0 client(s)" + NL);
        assertThat(cli("clients", "list", "--json")).isZero();
        assertThat(stdout()).isEqualTo("{\"clients\":[]}" + NL);
    }

    @Test
    void removesAClientAndFailsForOneThatIsNotThere() {
        assertThat(cli("clients", "add", "spa", "--redirect-uri", "https://app.example/callback")).isZero();
        assertThat(cli("clients", "add", "cli", "--redirect-uri", "http://127.0.0.1/cb")).isZero();

        assertThat(cli("clients", "remove", "spa")).isZero();
        assertThat(stdout()).isEqualTo("authfn: removed client spa" + NL);
        assertThat(oauth.client("spa")).isEmpty();
        assertThat(oauth.clients()).extracting(OAuthClient::clientId).containsExactly("cli");

        assertThat(cli("clients", "remove", "spa")).isEqualTo(1);
        assertThat(stderr()).isEqualTo("authfn: no client spa" + NL);
        assertThat(stdout()).isEmpty();
        assertThat(cli("clients", "remove", "not an id")).isEqualTo(2);
        assertThat(cli("clients")).isEqualTo(2);
        assertThat(stderr()).isEqualTo("authfn: ./authfn clients needs a subcommand: add, list, remove" + NL
                + "See './authfn clients --help'." + NL);
    }

    @Test
    void aRemovedConfidentialClientAddedAgainHasANewSecretAndTheOldOneNoLongerMatches() {
        assertThat(cli("clients", "add", "billing", "--redirect-uri", "https://billing.example/cb", "--confidential"))
                .isZero();
        String old = stdout().lines().toList().getLast();
        assertThat(cli("clients", "remove", "billing")).isZero();

        assertThat(cli("clients", "add", "billing", "--redirect-uri", "https://billing.example/cb", "--confidential"))
                .isZero();

        String rotated = stdout().lines().toList().getLast();
        OAuthClient billing = oauth.client("billing").orElseThrow();
        assertThat(billing.secretMatches(rotated)).isTrue();
        assertThat(billing.secretMatches(old)).isFalse();
        assertThat(billing.scopes()).isEqualTo(Set.of("openid", "profile", "email", "offline_access"));
    }

    private int cli(String... args) {
        out.reset();
        err.reset();
        return Main.run(args, new Terminal(new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of(), Optional.of(root)));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
