package dev.authfn.functions.login;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.authfn.auth.Components;
import dev.authfn.auth.LoginService;
import dev.authfn.core.csrf.OriginCheck;
import dev.authfn.core.StoreUnavailableException;
import dev.authfn.core.config.AuthfnConfig.Requirement;
import dev.authfn.core.cookie.HttpCookies;
import dev.authfn.lambda.AuditLog;
import dev.authfn.lambda.CrossSiteCheck;
import dev.authfn.lambda.HttpRequests;
import dev.authfn.lambda.HttpResponses;
import dev.authfn.lambda.Priming;
import dev.authfn.lambda.Problem;
import dev.authfn.lambda.Refusals;
import dev.authfn.lambda.SessionResponses;
import dev.authfn.password.Argon2idHasher;
import java.time.Clock;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /auth/login}: turns the request into a login attempt (JSON body or HTTP Basic), runs
 * it, and maps the outcome to the answers of docs/API.md §2. Size, content type and the cross-site check come
 * before any parsing or hashing.
 */
public final class LoginHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    /** Generous for a username and a 1,024-character password, even JSON-escaped. */
    static final int MAX_BODY_BYTES = 16 * 1024;

    /** What this function cannot run without. */
    static final Set<Requirement> REQUIRED = EnumSet.allOf(Requirement.class);

    private final Components components;
    private final LoginService login;
    private final HttpCookies cookies;
    private final OriginCheck originCheck;
    private final Clock clock;

    /** Lambda's constructor: the root from the process environment, and SnapStart priming (see {@link LoginPriming}). */
    public LoginHandler() {
        this(Components.fromEnvironment(System.getenv(), REQUIRED));
        Priming.register(new LoginPriming(this, components));
    }

    /**
     * The handler over a root built elsewhere (the local API, tests); nothing is primed. The login
     * service is built here with Argon2id, not by the root, so that only this function's jar holds
     * the password hasher and Bouncy Castle.
     */
    public LoginHandler(Components components) {
        this.components = components.require(REQUIRED);
        this.login = components.loginService(new Argon2idHasher());
        this.cookies = components.cookies();
        this.originCheck = components.originCheck();
        this.clock = components.clock();
    }

    /** Both cookies, living as long as the session has left (all of it, at login). */
    private List<String> cookies(LoginService.LoggedIn loggedIn) {
        return SessionResponses.cookies(cookies, loggedIn.session(), loggedIn.sessionCookie(), loggedIn.csrfToken(),
                clock.instant());
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        Optional<APIGatewayV2HTTPResponse> crossSite = CrossSiteCheck.refusal(originCheck, event, "login",
                "Logins from other sites are refused.", context);
        if (crossSite.isPresent()) {
            return crossSite.get();
        }
        if (HttpRequests.bodySize(event) > MAX_BODY_BYTES) {
            return Refusals.bodyTooLarge("login", "The login body is too large.", event, context);
        }
        LoginRequest request = LoginRequest.from(event, MAX_BODY_BYTES);
        if (request instanceof LoginRequest.Invalid invalid) {
            return Refusals.invalidBody("login", invalid.problem(), invalid.detail(), event, context);
        }
        LoginRequest.Credentials credentials = (LoginRequest.Credentials) request;
        LoginService.Outcome outcome;
        try {
            outcome = login.login(new LoginService.Attempt(credentials.username(), credentials.password(),
                    HttpRequests.userAgent(event), HttpRequests.sourceIp(event)));
        } catch (StoreUnavailableException e) {
            AuditLog.event("login").outcome("error").reason("STORE_UNAVAILABLE").ip(HttpRequests.sourceIp(event))
                    .error(context);
            return HttpResponses.problem(Problem.STORE_UNAVAILABLE, "Login is unavailable; try again shortly.");
        }
        return switch (outcome) {
            case LoginService.LoggedIn loggedIn -> {
                AuditLog.event("login").outcome("success").user(loggedIn.session().username())
                        .sid(loggedIn.session().id()).ip(HttpRequests.sourceIp(event)).info(context);
                yield HttpResponses.json(200,
                        SessionResponses.tokenBody(loggedIn.session(), loggedIn.accessToken(),
                                loggedIn.accessTokenLifetime(), loggedIn.csrfToken()),
                        cookies(loggedIn));
            }
            case LoginService.Refused refused -> {
                AuditLog.event("login").outcome("refused").reason(refused.reason().name())
                        .ip(HttpRequests.sourceIp(event)).warn(context);
                APIGatewayV2HTTPResponse response =
                        HttpResponses.problem(Problem.INVALID_CREDENTIALS, "The username or password is wrong.");
                if (credentials.basic()) {
                    response.getHeaders().put("WWW-Authenticate", "Basic realm=\"authfn\", charset=\"UTF-8\"");
                }
                yield response;
            }
            case LoginService.MfaRequired required -> {
                // No cookie and no session yet: the second step (POST /auth/mfa/verify) makes them.
                AuditLog.event("login").outcome("mfa_required").ip(HttpRequests.sourceIp(event)).info(context);
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("mfa_required", true);
                body.put("mfa_token", required.mfaToken());
                body.put("methods", required.methods());
                yield HttpResponses.json(200, body);
            }
            case LoginService.Unverified unverified -> {
                AuditLog.event("login").outcome("refused").reason("EMAIL_NOT_VERIFIED")
                        .ip(HttpRequests.sourceIp(event)).warn(context);
                yield HttpResponses.problem(Problem.EMAIL_NOT_VERIFIED,
                        "Verify your email address first: follow the link in the mail, or ask for a new one.");
            }
            case LoginService.Locked locked -> {
                AuditLog.event("login").outcome("locked").retryAfter(locked.retryAfter().toSeconds())
                        .ip(HttpRequests.sourceIp(event)).warn(context);
                yield HttpResponses.locked(locked.retryAfter());
            }
        };
    }
}
