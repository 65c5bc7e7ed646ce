package dev.authfn.functions.oauth;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.authfn.auth.Components;
import dev.authfn.auth.OAuthService;
import dev.authfn.auth.RequestAuthenticator;
import dev.authfn.core.StoreUnavailableException;
import dev.authfn.core.authz.AuthType;
import dev.authfn.core.authz.Principal;
import dev.authfn.core.config.AuthfnConfig.Requirement;
import dev.authfn.lambda.AuditLog;
import dev.authfn.lambda.FormParameters;
import dev.authfn.lambda.HttpRequests;
import dev.authfn.lambda.HttpResponses;
import dev.authfn.lambda.Priming;
import dev.authfn.lambda.Problem;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The OAuth 2.0 authorization server and OpenID provider's routes (docs/API.md §18), all public:
 * the function checks the caller's credential itself. It reads the request (the query string or
 * the form body, every value of every name, so that {@link OAuthService} can refuse a repeated
 * one; the {@code Authorization} header as sent; the session cookie on the authorization endpoint
 * only, the bearer token on userinfo only), hands it to the service, and renders the answer in the
 * shape each endpoint has: HTML pages and redirects for authorize (§18.2, §18.3), RFC 6749 §5.2
 * JSON for token and revoke, RFC 6750 challenges for userinfo, CORS for a registered public
 * client's origin (§18.8). Each decision is one audit line with the service's reason code; no
 * code, token, secret, verifier, header or cookie is ever logged.
 */
public final class OAuthHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    /** The token and revocation endpoints' bodies (§18.4). */
    static final int MAX_BODY_BYTES = 8 * 1024;

    /** The authorization request's query string, as sent (percent-encoded). */
    static final int MAX_QUERY_LENGTH = 8 * 1024;

    /** How long the discovery document may be cached (§18.8), as the JWKS is. */
    static final Duration DISCOVERY_MAX_AGE = Duration.ofMinutes(5);

    /** What this function cannot run without. */
    static final Set<Requirement> REQUIRED = EnumSet.allOf(Requirement.class);

    static final String FORM = "application/x-www-form-urlencoded";

    static final String AUTHORIZE = "GET /oauth2/authorize";
    static final String TOKEN = "POST /oauth2/token";
    static final String REVOKE = "POST /oauth2/revoke";
    static final String USERINFO_GET = "GET /oauth2/userinfo";
    static final String USERINFO_POST = "POST /oauth2/userinfo";
    static final String DISCOVERY = "GET /.well-known/openid-configuration";

    /** Each CORS preflight route and the methods its path allows. */
    static final Map<String, String> PREFLIGHTS = Map.of(
            "OPTIONS /oauth2/token", "POST",
            "OPTIONS /oauth2/revoke", "POST",
            "OPTIONS /oauth2/userinfo", "GET, POST",
            "OPTIONS /.well-known/openid-configuration", "GET");

    static final String ALLOWED_HEADERS = "authorization, content-type";
    static final Duration PREFLIGHT_MAX_AGE = Duration.ofMinutes(10);

    /** The userinfo challenge for a missing or refused token: RFC 6750 §3.1, nothing more. */
    static final String INVALID_TOKEN_CHALLENGE = "Bearer error=\"invalid_token\"";
    static final String INSUFFICIENT_SCOPE_CHALLENGE = "Bearer error=\"insufficient_scope\", scope=\"openid\"";
    static final String BASIC_CHALLENGE = "Basic realm=\"authfn\"";

    private final Components components;
    private final OAuthService service;
    private final RequestAuthenticator authenticator;

    /** Lambda's constructor: the root from the process environment, and SnapStart priming (see {@link OAuthPriming}). */
    public OAuthHandler() {
        this(Components.fromEnvironment(System.getenv(), REQUIRED));
        Priming.register(new OAuthPriming(components));
    }

    /**
     * The handler over a root built elsewhere (the local API, tests); nothing is primed.
     *
     * @throws dev.authfn.core.config.ConfigException when the root lacks what {@link #REQUIRED}
     *     names or the {@code AUTHFN_OAUTH_*} lifetimes are malformed
     */
    public OAuthHandler(Components components) {
        this.components = components.require(REQUIRED);
        this.service = components.oauthService();
        this.authenticator = components.authenticator();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        String route = HttpRequests.routeKey(event);
        return switch (route) {
            case AUTHORIZE -> authorize(event, context);
            case TOKEN -> crossOrigin(event, route, "oauth.token", context, origin -> token(event, route, context));
            case REVOKE -> crossOrigin(event, route, "oauth.revoke", context, origin -> revoke(event, route, context));
            case USERINFO_GET, USERINFO_POST -> crossOrigin(event, route, "oauth.userinfo", context,
                    origin -> userinfo(event, route, context));
            case DISCOVERY -> crossOrigin(event, route, "oauth.discovery", context,
                    origin -> HttpResponses.publicJson(200, service.discovery(), DISCOVERY_MAX_AGE));
            default -> {
                String methods = PREFLIGHTS.get(route);
                yield methods == null ? HttpResponses.problem(Problem.NOT_FOUND, "No such route.")
                        : crossOrigin(event, route, "oauth.preflight", context, origin -> preflight(origin, methods));
            }
        };
    }

    // ---- GET /oauth2/authorize (§18.2, §18.3) ----

    private APIGatewayV2HTTPResponse authorize(APIGatewayV2HTTPEvent event, Context context) {
        try {
            FormParameters.Result query = FormParameters.parse(event.getRawQueryString(), MAX_QUERY_LENGTH);
            if (query instanceof FormParameters.Refused refused) {
                audit("oauth.authorize", "refused", "invalid_request", AUTHORIZE, event, null).warn(context);
                return HostedPages.error(400, "Sign-in request not valid",
                        "The application sent a malformed sign-in request. " + refused.detail());
            }
            RequestAuthenticator.Identity identity = authenticator.authenticate(RequestAuthenticator.Request.builder()
                    .method("GET").routeKey(AUTHORIZE).cookies(HttpRequests.cookies(event)).build());
            if (identity instanceof RequestAuthenticator.Deny deny
                    && deny.reason() == RequestAuthenticator.DenyReason.STORE_UNAVAILABLE) {
                return authorizeUnavailable(event, context);
            }
            Optional<Principal> caller = identity instanceof RequestAuthenticator.Allow allow
                    && allow.principal().authType() == AuthType.COOKIE ? Optional.of(allow.principal()) : Optional.empty();
            String user = caller.map(Principal::username).orElse(null);
            return switch (service.authorize(((FormParameters.Parsed) query).parameters(), caller)) {
                case OAuthService.ErrorPage page -> {
                    audit("oauth.authorize", "refused", page.reason(), AUTHORIZE, event, user).warn(context);
                    yield HostedPages.error(400, "Sign-in request not valid", page.message());
                }
                case OAuthService.Redirect redirect -> {
                    boolean issued = "issued".equals(redirect.reason());
                    AuditLog.Builder line = audit("oauth.authorize", issued ? "success" : "refused", redirect.reason(),
                            AUTHORIZE, event, user);
                    if (issued) {
                        line.info(context);
                    } else {
                        line.warn(context);
                    }
                    yield HostedPages.redirect(redirect.location());
                }
                case OAuthService.LoginPage login -> {
                    audit("oauth.authorize", "login", login.reason(), AUTHORIZE, event, user).info(context);
                    yield HostedPages.login();
                }
            };
        } catch (StoreUnavailableException e) {
            return authorizeUnavailable(event, context);
        }
    }

    private static APIGatewayV2HTTPResponse authorizeUnavailable(APIGatewayV2HTTPEvent event, Context context) {
        audit("oauth.authorize", "error", "STORE_UNAVAILABLE", AUTHORIZE, event, null).error(context);
        return HostedPages.error(503, "Sign-in unavailable", "Signing in is unavailable right now; try again shortly.");
    }

    // ---- POST /oauth2/token and /oauth2/revoke (§18.4 to §18.6) ----

    private APIGatewayV2HTTPResponse token(APIGatewayV2HTTPEvent event, String route, Context context) {
        FormParameters.Result form = form(event);
        if (form instanceof FormParameters.Refused refused) {
            return malformed("oauth.token", route, refused, event, context);
        }
        return tokenAnswer("oauth.token", route, service.token(HttpRequests.header(event, "authorization"),
                ((FormParameters.Parsed) form).parameters(), HttpRequests.userAgent(event), HttpRequests.sourceIp(event)),
                event, context);
    }

    private APIGatewayV2HTTPResponse revoke(APIGatewayV2HTTPEvent event, String route, Context context) {
        FormParameters.Result form = form(event);
        if (form instanceof FormParameters.Refused refused) {
            return malformed("oauth.revoke", route, refused, event, context);
        }
        return tokenAnswer("oauth.revoke", route, service.revoke(HttpRequests.header(event, "authorization"),
                ((FormParameters.Parsed) form).parameters()), event, context);
    }

    /** The form body: its media type, then its size (before it is read), then its encoding. */
    static FormParameters.Result form(APIGatewayV2HTTPEvent event) {
        if (!HttpRequests.mediaType(event).equals(FORM)) {
            return new FormParameters.Refused("The body must be " + FORM + ".");
        }
        if (HttpRequests.bodySize(event) > MAX_BODY_BYTES) {
            return new FormParameters.Refused("The body is larger than " + MAX_BODY_BYTES + " bytes.");
        }
        Optional<String> body = HttpRequests.body(event, MAX_BODY_BYTES);
        if (body.isEmpty()) {
            return new FormParameters.Refused("The body is not valid base64 or UTF-8.");
        }
        return FormParameters.parse(body.get(), MAX_BODY_BYTES);
    }

    private static APIGatewayV2HTTPResponse malformed(String event, String route, FormParameters.Refused refused,
            APIGatewayV2HTTPEvent request, Context context) {
        audit(event, "refused", "invalid_request", route, request, null).warn(context);
        return tokenError(400, "invalid_request", refused.detail(), false);
    }

    private static APIGatewayV2HTTPResponse tokenAnswer(String name, String route, OAuthService.TokenAnswer answer,
            APIGatewayV2HTTPEvent event, Context context) {
        return switch (answer) {
            case OAuthService.Tokens tokens -> {
                audit(name, "success", tokens.reason(), route, event, tokens.userId().orElse(null)).info(context);
                yield noCache(HttpResponses.json(200, tokens.body()));
            }
            case OAuthService.Revoked revoked -> {
                audit(name, "success", revoked.reason(), route, event, null).info(context);
                yield noCache(HttpResponses.empty(200));
            }
            case OAuthService.TokenError error -> {
                AuditLog.Builder line = audit(name, error.status() >= 500 ? "error" : "refused", error.reason(), route,
                        event, null);
                if (error.status() >= 500) {
                    line.error(context);
                } else {
                    line.warn(context);
                }
                yield tokenError(error.status(), error.error(), error.description(), error.basicChallenge());
            }
        };
    }

    /** An RFC 6749 §5.2 error: {@code {"error", "error_description"}}, never cached. */
    static APIGatewayV2HTTPResponse tokenError(int status, String error, String description, boolean basicChallenge) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        if (description != null) {
            body.put("error_description", description);
        }
        APIGatewayV2HTTPResponse response = noCache(HttpResponses.json(status, body));
        if (basicChallenge) {
            response.getHeaders().put("WWW-Authenticate", BASIC_CHALLENGE);
        }
        return response;
    }

    /** RFC 6749 §5.1: token answers carry {@code Pragma: no-cache} beside {@code no-store}. */
    private static APIGatewayV2HTTPResponse noCache(APIGatewayV2HTTPResponse response) {
        response.getHeaders().put("Pragma", "no-cache");
        return response;
    }

    // ---- /oauth2/userinfo (§18.7) ----

    private APIGatewayV2HTTPResponse userinfo(APIGatewayV2HTTPEvent event, String route, Context context) {
        // The bearer token only: no cookie reaches the authenticator, so a page's session cannot be used here.
        RequestAuthenticator.Identity identity = authenticator.authenticate(RequestAuthenticator.Request.builder()
                .method(HttpRequests.method(event)).routeKey(route)
                .authorization(HttpRequests.header(event, "authorization")).build());
        if (identity instanceof RequestAuthenticator.Deny deny) {
            if (deny.reason() == RequestAuthenticator.DenyReason.STORE_UNAVAILABLE) {
                audit("oauth.userinfo", "error", "STORE_UNAVAILABLE", route, event, null).error(context);
                return unavailable(route);
            }
            audit("oauth.userinfo", "refused", deny.code(), route, event, null).warn(context);
            return invalidToken();
        }
        Principal principal = ((RequestAuthenticator.Allow) identity).principal();
        if (principal.authType() != AuthType.BEARER) {
            audit("oauth.userinfo", "refused", "NOT_BEARER", route, event, null).warn(context);
            return invalidToken();
        }
        return switch (service.userinfo(principal)) {
            case OAuthService.Claims claims -> {
                audit("oauth.userinfo", "success", null, route, event, principal.username()).info(context);
                yield HttpResponses.json(200, claims.claims());
            }
            case OAuthService.InsufficientScope refused -> {
                audit("oauth.userinfo", "refused", refused.reason(), route, event, principal.username()).warn(context);
                APIGatewayV2HTTPResponse response = HttpResponses.problem(Problem.FORBIDDEN,
                        "The access token does not carry the openid scope.");
                response.getHeaders().put("WWW-Authenticate", INSUFFICIENT_SCOPE_CHALLENGE);
                yield response;
            }
            case OAuthService.InvalidToken gone -> {
                // The token checked out but its user is gone or disabled: as good as no token.
                audit("oauth.userinfo", "refused", gone.reason(), route, event, principal.username()).warn(context);
                yield invalidToken();
            }
        };
    }

    private static APIGatewayV2HTTPResponse invalidToken() {
        APIGatewayV2HTTPResponse response = HttpResponses.problem(Problem.NOT_AUTHENTICATED,
                "A valid bearer access token is required.");
        response.getHeaders().put("WWW-Authenticate", INVALID_TOKEN_CHALLENGE);
        return response;
    }

    // ---- CORS (§18.8) ----

    /** What a CORS route answers, given the request's origin when it is a registered public client's. */
    @FunctionalInterface
    private interface CorsRoute {
        APIGatewayV2HTTPResponse answer(Optional<String> allowedOrigin);
    }

    /**
     * Answers a route that browsers on a registered public client's origin may read: that origin
     * is looked up first (only when the request names one), so that a store outage is one 503 for
     * every such route; the answer then carries {@code Access-Control-Allow-Origin} for it, never
     * {@code *} and never {@code Access-Control-Allow-Credentials} (none of these routes reads a
     * cookie). {@code Vary: Origin} is on every answer of these routes, so that no cache hands one
     * origin's answer to another.
     */
    private APIGatewayV2HTTPResponse crossOrigin(APIGatewayV2HTTPEvent event, String route, String audit, Context context,
            CorsRoute answer) {
        APIGatewayV2HTTPResponse response;
        Optional<String> allowed;
        try {
            String origin = HttpRequests.header(event, "origin");
            allowed = origin == null || origin.isEmpty() || !service.isCorsOrigin(origin)
                    ? Optional.empty() : Optional.of(origin);
            response = answer.answer(allowed);
        } catch (StoreUnavailableException e) {
            audit(audit, "error", "STORE_UNAVAILABLE", route, event, null).error(context);
            return unavailable(route);
        }
        allowed.ifPresent(origin -> response.getHeaders().put("Access-Control-Allow-Origin", origin));
        response.getHeaders().put("Vary", "Origin");
        return response;
    }

    private static APIGatewayV2HTTPResponse preflight(Optional<String> allowedOrigin, String methods) {
        APIGatewayV2HTTPResponse response = HttpResponses.noContent(List.of());
        if (allowedOrigin.isPresent()) {
            response.getHeaders().put("Access-Control-Allow-Methods", methods);
            response.getHeaders().put("Access-Control-Allow-Headers", ALLOWED_HEADERS);
            response.getHeaders().put("Access-Control-Max-Age", Long.toString(PREFLIGHT_MAX_AGE.toSeconds()));
        }
        return response;
    }

    /** A store outage on a CORS route: the token endpoints' RFC 6749 shape, a problem elsewhere. */
    private static APIGatewayV2HTTPResponse unavailable(String route) {
        if (route.equals(TOKEN) || route.equals(REVOKE)) {
            return tokenError(503, "temporarily_unavailable", "The service is unavailable; try again shortly.", false);
        }
        return HttpResponses.problem(Problem.STORE_UNAVAILABLE, "The service is unavailable; try again shortly.");
    }

    private static AuditLog.Builder audit(String event, String outcome, String reason, String route,
            APIGatewayV2HTTPEvent request, String user) {
        return AuditLog.event(event).outcome(outcome).reason(reason).route(route).ip(HttpRequests.sourceIp(request))
                .user(user);
    }
}
