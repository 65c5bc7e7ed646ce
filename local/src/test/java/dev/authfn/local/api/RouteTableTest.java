package dev.authfn.local.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.authfn.local.template.RouteSpec;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RouteTableTest {

    private final RouteTable table = new RouteTable(List.of(
            route("GET", "/auth/sessions/{id}", "ById"),
            route("GET", "/auth/sessions/current", "Current"),
            route("GET", "/auth/sessions", "List"),
            route("ANY", "/files/{path+}", "AnyFile"),
            route("GET", "/files/{path+}", "GetFile"),
            route("GET", "/files/{name}", "OneFile")));

    @Test
    void prefersAnExactPathOverATemplatedOne() {
        assertThat(eventOf("GET", "/auth/sessions/current")).isEqualTo("Current");
        assertThat(eventOf("GET", "/auth/sessions/s-1")).isEqualTo("ById");
        assertThat(eventOf("GET", "/auth/sessions")).isEqualTo("List");
    }

    @Test
    void capturesPathParameters() {
        RouteMatch match = table.match("GET", "/auth/sessions/s-1").orElseThrow();

        assertThat(match.pathParameters()).containsExactly(entry("id", "s-1"));
    }

    @Test
    void letsAGreedyVariableTakeTheRestAfterSingleSegmentsAndNamedMethods() {
        assertThat(eventOf("GET", "/files/a.txt")).isEqualTo("OneFile");
        assertThat(eventOf("GET", "/files/dir/a.txt")).isEqualTo("GetFile");
        assertThat(eventOf("PUT", "/files/dir/a.txt")).isEqualTo("AnyFile");
        assertThat(table.match("PUT", "/files/dir/a.txt").orElseThrow().pathParameters())
                .containsExactly(entry("path", "dir/a.txt"));
    }

    @Test
    void matchesNothingForAnotherMethodExtraSegmentsATrailingSlashOrAnEmptyVariable() {
        assertThat(table.match("POST", "/auth/sessions")).isEmpty();
        assertThat(table.match("GET", "/auth/sessions/s-1/extra")).isEmpty();
        assertThat(table.match("GET", "/auth/sessions/")).isEmpty();
        assertThat(table.match("GET", "/files/")).isEmpty();
        assertThat(table.match("GET", "/nowhere")).isEmpty();
    }

    private String eventOf(String method, String path) {
        return table.match(method, path).orElseThrow().route().eventId();
    }

    private static RouteSpec route(String method, String path, String event) {
        return new RouteSpec("Fn", event, method, path, Optional.empty());
    }
}
