package dev.authfn.functions.login;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.authfn.auth.LoginService;
import dev.authfn.auth.OriginCheck;
import dev.authfn.core.StoreUnavailableException;
import dev.authfn.core.config.AuthfnConfig.Requirement;
import dev.authfn.core.cookie.HttpCookies;
import dev.authfn.core.password.PasswordHasher;
import dev.authfn.lambda.AuditLog;
import dev.authfn.lambda.HttpRequests;
import dev.authfn.lambda.HttpResponses;
import dev.authfn.lambda.Priming;
import dev.authfn.lambda.Problem;
import dev.authfn.runtime.AuthfnRuntime;
import dev.authfn.runtime.SessionResponses;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code POST /auth/login}: turns the request into a login attempt (JSON body or HTTP Basic), runs
 * it, and maps the outcome to SPEC §2's answers. Size, content type and the cross-site check come
 * before any parsing or hashing.
 */
public final class LoginHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    /** Generous for a username and a 1,024-character password, even JSON-escaped. */
    static final int MAX_BODY_BYTES = 16 * 1024;

    private final LoginService login;
    private final HttpCookies cookies;
    private final OriginCheck originCheck;
    private final Duration sessionLifetime;
    /** Held here as well: the CRaC context may keep its resources only weakly. */
    private final Priming<?> priming;

    /** Lambda's constructor: wiring from the process environment, once per container. */
    public LoginHandler() {
        this(System.getenv());
    }

    /** Wiring from the given environment (the local API passes the template's). */
    public LoginHandler(Map<String, String> environment) {
        this(AuthfnRuntime.fromEnvironment(environment, EnumSet.allOf(Requirement.class)));
    }

    private LoginHandler(AuthfnRuntime runtime) {
        this(loginService(runtime), runtime.cookies(), runtime.originCheck(), runtime.timeouts().absolute(), runtime);
    }

    /**
     * Built here, not by the shared runtime, so that only this function's jar holds the login
     * service, the password hasher and Bouncy Castle's Argon2id.
     */
    private static LoginService loginService(AuthfnRuntime runtime) {
        return new LoginService(runtime.users(), runtime.sessions(), new PasswordHasher(), runtime.codecs(),
                runtime.timeouts(), runtime.config().lockoutPolicy(), runtime.random(), runtime.clock());
    }

    /** For tests: the collaborators themselves. */
    public LoginHandler(LoginService login, HttpCookies cookies, OriginCheck originCheck, Duration sessionLifetime) {
        this(login, cookies, originCheck, sessionLifetime, null);
    }

    private LoginHandler(LoginService login, HttpCookies cookies, OriginCheck originCheck, Duration sessionLifetime,
            AuthfnRuntime runtime) {
        this.login = Objects.requireNonNull(login, "login");
        this.cookies = Objects.requireNonNull(cookies, "cookies");
        this.originCheck = Objects.requireNonNull(originCheck, "originCheck");
        this.sessionLifetime = Objects.requireNonNull(sessionLifetime, "sessionLifetime");
        this.priming = runtime == null ? null : Priming.register(new LoginPriming(this, runtime));
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        Optional<OriginCheck.Reason> crossSite = originCheck.check(
                HttpRequests.header(event, "origin"), HttpRequests.header(event, "sec-fetch-site"),
                HttpRequests.selfOrigin(event));
        if (crossSite.isPresent()) {
            AuditLog.warn(context, "login", "outcome", "refused", "reason", crossSite.get().name(),
                    "ip", HttpRequests.sourceIp(event));
            return HttpResponses.problem(Problem.CROSS_SITE_REQUEST, "Logins from other sites are refused.");
        }
        if (HttpRequests.bodySize(event) > MAX_BODY_BYTES) {
            AuditLog.warn(context, "login", "outcome", "refused", "reason", "BODY_TOO_LARGE",
                    "ip", HttpRequests.sourceIp(event));
            return HttpResponses.problem(Problem.PAYLOAD_TOO_LARGE, "The login body is too large.");
        }
        LoginRequest request = LoginRequest.from(event, MAX_BODY_BYTES);
        if (request instanceof LoginRequest.Invalid invalid) {
            AuditLog.warn(context, "login", "outcome", "refused", "reason", invalid.problem().name(),
                    "ip", HttpRequests.sourceIp(event));
            return HttpResponses.problem(invalid.problem(), invalid.detail());
        }
        LoginRequest.Credentials credentials = (LoginRequest.Credentials) request;
        LoginService.Outcome outcome;
        try {
            outcome = login.login(new LoginService.Attempt(credentials.username(), credentials.password(),
                    HttpRequests.userAgent(event), HttpRequests.sourceIp(event)));
        } catch (StoreUnavailableException e) {
            AuditLog.error(context, "login", "outcome", "error", "reason", "STORE_UNAVAILABLE",
                    "ip", HttpRequests.sourceIp(event));
            return HttpResponses.problem(Problem.STORE_UNAVAILABLE, "Login is unavailable; try again shortly.");
        }
        return switch (outcome) {
            case LoginService.LoggedIn loggedIn -> {
                AuditLog.info(context, "login", "outcome", "success", "user", loggedIn.session().username(),
                        "sid", loggedIn.session().id(), "ip", HttpRequests.sourceIp(event));
                yield HttpResponses.json(200,
                        SessionResponses.tokenBody(loggedIn.session(), loggedIn.accessToken(),
                                loggedIn.accessTokenLifetime(), loggedIn.csrfToken()),
                        List.of(cookies.session(loggedIn.sessionCookie(), sessionLifetime),
                                cookies.csrf(loggedIn.csrfToken(), sessionLifetime)));
            }
            case LoginService.Refused refused -> {
                AuditLog.warn(context, "login", "outcome", "refused", "reason", refused.reason().name(),
                        "ip", HttpRequests.sourceIp(event));
                APIGatewayV2HTTPResponse response =
                        HttpResponses.problem(Problem.INVALID_CREDENTIALS, "The username or password is wrong.");
                if (credentials.basic()) {
                    response.getHeaders().put("WWW-Authenticate", "Basic realm=\"authfn\", charset=\"UTF-8\"");
                }
                yield response;
            }
            case LoginService.Locked locked -> {
                AuditLog.warn(context, "login", "outcome", "locked", "retry_after",
                        Long.toString(locked.retryAfter().toSeconds()), "ip", HttpRequests.sourceIp(event));
                yield HttpResponses.locked(locked.retryAfter());
            }
        };
    }
}
