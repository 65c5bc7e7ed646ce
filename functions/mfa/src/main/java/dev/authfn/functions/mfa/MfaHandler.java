package dev.authfn.functions.mfa;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.authfn.auth.Components;
import dev.authfn.auth.LoginService;
import dev.authfn.auth.MfaProof;
import dev.authfn.auth.MfaService;
import dev.authfn.core.StoreUnavailableException;
import dev.authfn.core.authz.Principal;
import dev.authfn.core.authz.StepUp;
import dev.authfn.core.config.AuthfnConfig.Requirement;
import dev.authfn.core.cookie.HttpCookies;
import dev.authfn.core.csrf.OriginCheck;
import dev.authfn.lambda.AuditLog;
import dev.authfn.lambda.CrossSiteCheck;
import dev.authfn.lambda.HttpRequests;
import dev.authfn.lambda.HttpResponses;
import dev.authfn.lambda.JsonFields;
import dev.authfn.lambda.Priming;
import dev.authfn.lambda.Problem;
import dev.authfn.lambda.Refusals;
import dev.authfn.lambda.RouteGuard;
import dev.authfn.lambda.SessionResponses;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The second-factor routes (docs/API.md §16): the second step of a login, which is public and
 * refuses cross-site requests as the login does, and enrolling, confirming and removing a TOTP
 * factor, which are behind the authorizer, check the route policy again and need a login within
 * {@link #RECENT_LOGIN} (else the RFC 9470 challenge). Size and content type come before any
 * parsing, and the parsing before any store is read.
 */
public final class MfaHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    /** Generous for a token and a code, even JSON-escaped. */
    static final int MAX_BODY_BYTES = 4 * 1024;

    /** How recent a login must be to add or remove a factor. */
    static final Duration RECENT_LOGIN = Duration.ofMinutes(5);

    /** What this function cannot run without. */
    static final Set<Requirement> REQUIRED = EnumSet.allOf(Requirement.class);

    private static final String VERIFY = "POST /auth/mfa/verify";
    private static final String ENROL = "POST /auth/mfa/totp";
    private static final String CONFIRM = "POST /auth/mfa/totp/confirm";
    private static final String REMOVE = "DELETE /auth/mfa/totp";

    private final Components components;
    private final MfaService mfa;
    private final HttpCookies cookies;
    private final OriginCheck originCheck;
    private final RouteGuard guard;
    private final Clock clock;

    /** Lambda's constructor: the root from the process environment, and SnapStart priming (see {@link MfaPriming}). */
    public MfaHandler() {
        this(Components.fromEnvironment(System.getenv(), REQUIRED));
        Priming.register(new MfaPriming(this, components));
    }

    /** The handler over a root built elsewhere (the local API, tests); nothing is primed. */
    public MfaHandler(Components components) {
        this.components = components.require(REQUIRED);
        this.mfa = components.mfaService();
        this.cookies = components.cookies();
        this.originCheck = components.originCheck();
        this.guard = new RouteGuard(components.routePolicy(), "mfa", components.clock());
        this.clock = components.clock();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        String route = HttpRequests.routeKey(event);
        String audit = auditName(route);
        if (audit == null) {
            return HttpResponses.problem(Problem.NOT_FOUND, "No such route.");
        }
        Principal principal = null;
        if (route.equals(VERIFY)) {
            Optional<APIGatewayV2HTTPResponse> crossSite = CrossSiteCheck.refusal(originCheck, event, audit,
                    "Logins from other sites are refused.", context);
            if (crossSite.isPresent()) {
                return crossSite.get();
            }
        } else {
            // Adding or removing a factor needs a fresh login: else 401 with the RFC 9470 challenge.
            RouteGuard.Outcome outcome = guard.check(event, context, StepUp.recentLogin(RECENT_LOGIN));
            if (outcome instanceof RouteGuard.Refused refused) {
                return refused.response();
            }
            principal = ((RouteGuard.Allowed) outcome).principal();
        }
        if (HttpRequests.bodySize(event) > MAX_BODY_BYTES) {
            return Refusals.bodyTooLarge(audit, "The body is too large.", event, context);
        }
        try {
            return switch (route) {
                case VERIFY -> verify(event, context);
                case ENROL -> enrol(principal, event, context);
                case CONFIRM -> confirm(principal, event, context);
                default -> remove(principal, event, context);
            };
        } catch (StoreUnavailableException e) {
            AuditLog.event(audit).outcome("error").reason("STORE_UNAVAILABLE").ip(HttpRequests.sourceIp(event)).error(context);
            return HttpResponses.problem(Problem.STORE_UNAVAILABLE, "The second factor is unavailable; try again shortly.");
        }
    }

    private APIGatewayV2HTTPResponse verify(APIGatewayV2HTTPEvent event, Context context) {
        JsonFields request = JsonFields.from(event, MAX_BODY_BYTES, List.of("mfa_token"), List.of("code", "recovery_code"));
        if (!(request instanceof JsonFields.Fields fields)) {
            return invalid("mfa-verify", (JsonFields.Invalid) request, event, context);
        }
        Optional<MfaProof> proof = MfaProof.of(fields.get("code"), fields.get("recovery_code"));
        if (proof.isEmpty()) {
            return invalid("mfa-verify", oneProof(), event, context);
        }
        LoginService.Outcome outcome = mfa.verify(new MfaService.SecondStep(fields.get("mfa_token"), proof.get(),
                HttpRequests.userAgent(event), HttpRequests.sourceIp(event)));
        return switch (outcome) {
            case LoginService.LoggedIn loggedIn -> {
                AuditLog.event("mfa-verify").outcome("success").user(loggedIn.session().username())
                        .sid(loggedIn.session().id()).ip(HttpRequests.sourceIp(event)).info(context);
                yield HttpResponses.json(200, SessionResponses.tokenBody(loggedIn.session(), loggedIn.accessToken(),
                        loggedIn.accessTokenLifetime(), loggedIn.csrfToken()), newCookies(loggedIn));
            }
            case LoginService.Refused refused -> {
                audit("mfa-verify", refused.reason(), event).warn(context);
                yield HttpResponses.problem(Problem.MFA_FAILED,
                        "The code is wrong or used, or the login attempt expired; try the next code, or log in again.");
            }
            case LoginService.Locked locked -> {
                AuditLog.event("mfa-verify").outcome("locked").retryAfter(locked.retryAfter().toSeconds())
                        .ip(HttpRequests.sourceIp(event)).warn(context);
                yield HttpResponses.locked(locked.retryAfter());
            }
            // The second step never answers these; were it to, it would fail closed.
            case LoginService.Unverified unverified -> HttpResponses.problem(Problem.MFA_FAILED, "Log in again.");
            case LoginService.MfaRequired required -> HttpResponses.problem(Problem.MFA_FAILED, "Log in again.");
        };
    }

    private APIGatewayV2HTTPResponse enrol(Principal principal, APIGatewayV2HTTPEvent event, Context context) {
        return switch (mfa.begin(principal)) {
            case MfaService.Enrolment enrolment -> {
                AuditLog.event("mfa-enrol").outcome("pending").user(principal.username()).ip(HttpRequests.sourceIp(event))
                        .info(context);
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("secret", enrolment.secret());
                body.put("otpauth_uri", enrolment.otpauthUri());
                yield HttpResponses.json(200, body);
            }
            case MfaService.AlreadyEnrolled already -> {
                AuditLog.event("mfa-enrol").outcome("refused").reason("ALREADY_ENROLLED").user(principal.username())
                        .ip(HttpRequests.sourceIp(event)).warn(context);
                yield HttpResponses.problem(Problem.MFA_ALREADY_ENROLLED,
                        "This account has a second factor already; remove it first.");
            }
            case MfaService.CallerEnded ended -> callerEnded("mfa-enrol", principal, event, context);
            case MfaService.MultiFactorRequired mfa -> Refusals.multiFactorRequired("mfa-enrol", RECENT_LOGIN, principal,
                    event, context);
            case MfaService.Unavailable unavailable -> unavailable("mfa-enrol", event, context);
        };
    }

    private APIGatewayV2HTTPResponse confirm(Principal principal, APIGatewayV2HTTPEvent event, Context context) {
        JsonFields request = JsonFields.from(event, MAX_BODY_BYTES, List.of("code"), List.of());
        if (!(request instanceof JsonFields.Fields fields)) {
            return invalid("mfa-confirm", (JsonFields.Invalid) request, event, context);
        }
        return switch (mfa.confirm(principal, fields.get("code"))) {
            case MfaService.Confirmed confirmed -> {
                AuditLog.event("mfa-confirm").outcome("success").user(principal.username())
                        .ip(HttpRequests.sourceIp(event)).info(context);
                yield HttpResponses.json(200, Map.of("recovery_codes", confirmed.recoveryCodes()));
            }
            case MfaService.WrongCode wrong -> {
                audit("mfa-confirm", wrong.reason(), event).user(principal.username()).warn(context);
                yield HttpResponses.problem(Problem.MFA_FAILED, "The code does not fit the new secret; try the next code.");
            }
            case MfaService.NothingPending nothing -> {
                AuditLog.event("mfa-confirm").outcome("refused").reason("NOTHING_PENDING").user(principal.username())
                        .ip(HttpRequests.sourceIp(event)).warn(context);
                yield HttpResponses.problem(Problem.MFA_NOT_ENROLLED,
                        "There is no new secret to confirm; start again with POST /auth/mfa/totp.");
            }
            case MfaService.AlreadyEnrolled already -> {
                AuditLog.event("mfa-confirm").outcome("refused").reason("ALREADY_ENROLLED").user(principal.username())
                        .ip(HttpRequests.sourceIp(event)).warn(context);
                yield HttpResponses.problem(Problem.MFA_ALREADY_ENROLLED, "This account has a second factor already.");
            }
            case MfaService.CallerEnded ended -> callerEnded("mfa-confirm", principal, event, context);
        };
    }

    private APIGatewayV2HTTPResponse remove(Principal principal, APIGatewayV2HTTPEvent event, Context context) {
        JsonFields request = JsonFields.from(event, MAX_BODY_BYTES, List.of(), List.of("code", "recovery_code"));
        if (!(request instanceof JsonFields.Fields fields)) {
            return invalid("mfa-remove", (JsonFields.Invalid) request, event, context);
        }
        Optional<MfaProof> proof = MfaProof.of(fields.get("code"), fields.get("recovery_code"));
        if (proof.isEmpty()) {
            return invalid("mfa-remove", oneProof(), event, context);
        }
        return switch (mfa.remove(principal, proof.get(), HttpRequests.userAgent(event), HttpRequests.sourceIp(event))) {
            case MfaService.Removed removed -> {
                LoginService.LoggedIn session = removed.session();
                AuditLog.event("mfa-remove").outcome("success").user(principal.username()).sid(session.session().id())
                        .sessions(removed.sessionsEnded()).ip(HttpRequests.sourceIp(event)).info(context);
                yield SessionResponses.replaced(principal.authType(), cookies, session.session(), session.sessionCookie(),
                        session.csrfToken(), session.accessToken(), session.accessTokenLifetime(), clock.instant());
            }
            case MfaService.WrongCode wrong -> {
                audit("mfa-remove", wrong.reason(), event).user(principal.username()).warn(context);
                yield HttpResponses.problem(Problem.MFA_FAILED, "The code is wrong or used.");
            }
            case MfaService.RemoveLocked locked -> {
                AuditLog.event("mfa-remove").outcome("locked").user(principal.username())
                        .retryAfter(locked.retryAfter().toSeconds()).ip(HttpRequests.sourceIp(event)).warn(context);
                yield HttpResponses.locked(locked.retryAfter());
            }
            case MfaService.NotEnrolled none -> {
                AuditLog.event("mfa-remove").outcome("refused").reason("NOT_ENROLLED").user(principal.username())
                        .ip(HttpRequests.sourceIp(event)).warn(context);
                yield HttpResponses.problem(Problem.MFA_NOT_ENROLLED, "This account has no second factor.");
            }
            case MfaService.CallerEnded ended -> callerEnded("mfa-remove", principal, event, context);
        };
    }

    /** Both cookies, living as long as the new session has left. */
    private List<String> newCookies(LoginService.LoggedIn loggedIn) {
        return SessionResponses.cookies(cookies, loggedIn.session(), loggedIn.sessionCookie(), loggedIn.csrfToken(),
                clock.instant());
    }

    /** A refusal's log line; the reason goes to the log only, never to the client. */
    private static AuditLog.Builder audit(String event, LoginService.Reason reason, APIGatewayV2HTTPEvent request) {
        return AuditLog.event(event).outcome("refused").reason(reason.name()).ip(HttpRequests.sourceIp(request));
    }

    private static JsonFields.Invalid oneProof() {
        return new JsonFields.Invalid(Problem.MALFORMED_REQUEST,
                "Send \"code\" or \"recovery_code\", exactly one, as a string.");
    }

    private static APIGatewayV2HTTPResponse callerEnded(String audit, Principal principal, APIGatewayV2HTTPEvent event,
            Context context) {
        return Refusals.sessionEnded(audit, principal, event, context);
    }

    private static APIGatewayV2HTTPResponse unavailable(String audit, APIGatewayV2HTTPEvent event, Context context) {
        AuditLog.event(audit).outcome("error").reason("NO_MFA_KEY").ip(HttpRequests.sourceIp(event)).error(context);
        return HttpResponses.problem(Problem.MFA_UNAVAILABLE,
                "Second factors are not set up here (the key set has no mfa key).");
    }

    private static APIGatewayV2HTTPResponse invalid(String audit, JsonFields.Invalid invalid, APIGatewayV2HTTPEvent event,
            Context context) {
        return Refusals.invalidBody(audit, invalid.problem(), invalid.detail(), event, context);
    }

    /** The audit event name of a route of this function; null for any other route. */
    private static String auditName(String route) {
        return switch (route) {
            case VERIFY -> "mfa-verify";
            case ENROL -> "mfa-enrol";
            case CONFIRM -> "mfa-confirm";
            case REMOVE -> "mfa-remove";
            default -> null;
        };
    }
}
