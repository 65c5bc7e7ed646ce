package dev.authfn.functions.session;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.authfn.auth.Components;
import dev.authfn.auth.SessionService;
import dev.authfn.core.StoreUnavailableException;
import dev.authfn.core.authz.Principal;
import dev.authfn.core.config.AuthfnConfig.Requirement;
import dev.authfn.core.cookie.HttpCookies;
import dev.authfn.core.session.Session;
import dev.authfn.lambda.AuditLog;
import dev.authfn.lambda.HttpRequests;
import dev.authfn.lambda.HttpResponses;
import dev.authfn.lambda.Problem;
import dev.authfn.lambda.RouteGuard;
import dev.authfn.lambda.SessionResponses;
import java.time.Clock;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The session routes: refresh, logout, logout-all, list and revoke. Each reads the principal the
 * authorizer established (a request without one is refused), checks the route policy again, and
 * calls {@link SessionService}.
 */
public final class SessionHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    /** What this function cannot run without. */
    static final Set<Requirement> REQUIRED = EnumSet.allOf(Requirement.class);

    private final SessionService sessions;
    private final HttpCookies cookies;
    private final RouteGuard guard;
    private final Clock clock;

    /** Lambda's constructor: the root from the process environment. */
    public SessionHandler() {
        this(Components.fromEnvironment(System.getenv(), REQUIRED));
    }

    /** The handler over a root built elsewhere (the local API, tests). */
    public SessionHandler(Components components) {
        components.require(REQUIRED);
        this.sessions = components.sessionService();
        this.cookies = components.cookies();
        this.guard = new RouteGuard(components.routePolicy(), "session", components.clock());
        this.clock = components.clock();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        RouteGuard.Outcome outcome = guard.check(event, context);
        if (outcome instanceof RouteGuard.Refused refused) {
            return refused.response();
        }
        Principal principal = ((RouteGuard.Allowed) outcome).principal();
        String routeKey = HttpRequests.routeKey(event);
        try {
            return switch (routeKey) {
                case "POST /auth/refresh" -> refresh(principal, context);
                case "POST /auth/logout" -> logout(principal, context);
                case "POST /auth/logout-all" -> logoutAll(principal, context);
                case "GET /auth/sessions" -> list(principal, context);
                case "DELETE /auth/sessions/{id}" -> revoke(principal, event, context);
                default -> HttpResponses.problem(Problem.NOT_FOUND, "No such route.");
            };
        } catch (StoreUnavailableException e) {
            AuditLog.event("session").outcome("error").reason("STORE_UNAVAILABLE").route(routeKey).error(context);
            return HttpResponses.problem(Problem.STORE_UNAVAILABLE, "Sessions are unavailable; try again shortly.");
        }
    }

    private APIGatewayV2HTTPResponse refresh(Principal principal, Context context) {
        return switch (sessions.refresh(principal)) {
            case SessionService.Refreshed refreshed -> {
                AuditLog.event("refresh").outcome("success").user(principal.username()).sid(principal.sessionId())
                        .info(context);
                yield HttpResponses.json(200,
                        SessionResponses.tokenBody(refreshed.session(), refreshed.accessToken(),
                                refreshed.accessTokenLifetime(), refreshed.csrfToken()),
                        List.of(cookies.csrf(refreshed.csrfToken(),
                                SessionResponses.cookieLifetime(refreshed.session(), clock.instant()))));
            }
            case SessionService.RefreshRefused refused -> {
                AuditLog.event("refresh").outcome("refused").reason(refused.reason().name())
                        .user(principal.username()).sid(principal.sessionId()).warn(context);
                yield refused.reason() == SessionService.RefreshReason.NOT_COOKIE
                        ? HttpResponses.problem(Problem.FORBIDDEN, "Refresh needs the session cookie, not a bearer token.")
                        : HttpResponses.problem(Problem.NOT_AUTHENTICATED, "The session has ended; log in again.");
            }
        };
    }

    private APIGatewayV2HTTPResponse logout(Principal principal, Context context) {
        sessions.logout(principal);
        AuditLog.event("logout").outcome("success").user(principal.username()).sid(principal.sessionId()).info(context);
        return HttpResponses.noContent(List.of(cookies.clearSession(), cookies.clearCsrf()));
    }

    private APIGatewayV2HTTPResponse logoutAll(Principal principal, Context context) {
        OptionalInt result = sessions.logoutAll(principal);
        if (result.isEmpty()) {
            return sessionEnded("logout-all", principal, context);
        }
        int ended = result.getAsInt();
        AuditLog.event("logout-all").outcome("success").user(principal.username()).sessions(ended).info(context);
        return HttpResponses.noContent(List.of(cookies.clearSession(), cookies.clearCsrf()));
    }

    private APIGatewayV2HTTPResponse list(Principal principal, Context context) {
        Optional<List<SessionService.Listed>> listed = sessions.list(principal);
        if (listed.isEmpty()) {
            return sessionEnded("sessions", principal, context);
        }
        return HttpResponses.json(200, Map.of("sessions", listed.get().stream().map(SessionHandler::view).toList()));
    }

    /** The caller's own session has ended (possible with stateless bearer tokens): 401, as refresh answers. */
    private static APIGatewayV2HTTPResponse sessionEnded(String event, Principal principal, Context context) {
        AuditLog.event(event).outcome("refused").reason("SESSION_ENDED").user(principal.username())
                .sid(principal.sessionId()).warn(context);
        return HttpResponses.problem(Problem.NOT_AUTHENTICATED, "The session has ended; log in again.");
    }

    private APIGatewayV2HTTPResponse revoke(Principal principal, APIGatewayV2HTTPEvent event, Context context) {
        String id = event.getPathParameters() == null ? null : event.getPathParameters().get("id");
        return switch (sessions.revoke(principal, id)) {
            case CALLER_SESSION_ENDED -> sessionEnded("revoke", principal, context);
            case NOT_FOUND -> {
                AuditLog.event("revoke").outcome("not_found").user(principal.username()).warn(context);
                yield HttpResponses.problem(Problem.NOT_FOUND, "No such session.");
            }
            case REVOKED -> {
                AuditLog.event("revoke").outcome("success").user(principal.username()).sid(id).info(context);
                yield HttpResponses.noContent(List.of());
            }
        };
    }

    private static Map<String, Object> view(SessionService.Listed listed) {
        Session session = listed.session();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", session.id());
        view.put("created_at", session.createdAt().toString());
        view.put("amr", session.amr());
        view.put("auth_time", session.authTime().toString());
        view.put("last_seen_at", session.lastSeenAt().toString());
        view.put("expires_at", session.expiresAt().toString());
        view.put("user_agent", session.userAgent());
        view.put("source_ip", session.sourceIp());
        view.put("current", listed.current());
        return view;
    }
}
