package dev.authfn.functions.account;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.authfn.auth.AccountService;
import dev.authfn.auth.Components;
import dev.authfn.auth.LoginService;
import dev.authfn.auth.MfaProof;
import dev.authfn.core.StoreUnavailableException;
import dev.authfn.core.authz.Principal;
import dev.authfn.core.config.AccountSettings;
import dev.authfn.core.config.AuthfnConfig.Requirement;
import dev.authfn.core.cookie.HttpCookies;
import dev.authfn.core.csrf.OriginCheck;
import dev.authfn.core.password.PasswordHasher;
import dev.authfn.core.password.PasswordPolicy;
import dev.authfn.lambda.AuditLog;
import dev.authfn.lambda.CrossSiteCheck;
import dev.authfn.lambda.HttpRequests;
import dev.authfn.lambda.HttpResponses;
import dev.authfn.lambda.JsonFields;
import dev.authfn.lambda.Problem;
import dev.authfn.lambda.Refusals;
import dev.authfn.lambda.RouteGuard;
import dev.authfn.lambda.SessionResponses;
import dev.authfn.password.Argon2idHasher;
import dev.authfn.password.policy.PasswordPolicies;
import java.time.Clock;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The account routes (docs/API.md §15): sign-up, verifying an address, asking for the mail again,
 * forgot, reset and change password. The public routes refuse cross-site requests as the login
 * does; {@code POST /auth/password/change} is behind the authorizer (cookie with CSRF token, or
 * bearer) and checks the route policy again. Size and content type come before any parsing, and
 * the parsing before any hashing.
 */
public final class AccountHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    /** Generous for a name, an address and two 1,024-character passwords, even JSON-escaped. */
    static final int MAX_BODY_BYTES = 16 * 1024;

    /** What this function cannot run without (and the outbox table, checked by the stores). */
    static final Set<Requirement> REQUIRED = EnumSet.allOf(Requirement.class);

    /** The one answer to resend and forgot, whatever the account. */
    static final Map<String, String> ACCEPTED = Map.of("detail",
            "If an account matches, a mail is on its way.");

    private final AccountService accounts;
    private final PasswordPolicy policy;
    private final HttpCookies cookies;
    private final OriginCheck originCheck;
    private final RouteGuard guard;
    private final Clock clock;

    /** Lambda's constructor: the root from the process environment. */
    public AccountHandler() {
        this(Components.fromEnvironment(System.getenv(), REQUIRED));
    }

    /** The handler over a root built elsewhere (the local API, tests), with the policy its environment names. */
    public AccountHandler(Components components) {
        this(components, new Argon2idHasher(), PasswordPolicies.fromEnvironment(components.environment(),
                System.err::println));
    }

    AccountHandler(Components components, PasswordHasher hasher, PasswordPolicy policy) {
        components.require(REQUIRED);
        this.policy = policy;
        this.accounts = components.accountService(hasher, policy);
        this.cookies = components.cookies();
        this.originCheck = components.originCheck();
        this.guard = new RouteGuard(components.routePolicy(), "account", components.clock());
        this.clock = components.clock();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        String route = HttpRequests.routeKey(event);
        String audit = auditName(route);
        if (route.equals("POST /auth/register") && accounts.settings().signup() == AccountSettings.SignupMode.CLOSED) {
            AuditLog.event(audit).outcome("refused").reason("SIGNUP_CLOSED").ip(HttpRequests.sourceIp(event)).warn(context);
            return HttpResponses.problem(Problem.NOT_FOUND, "No such route.");
        }
        Principal principal = null;
        if (route.equals("POST /auth/password/change")) {
            RouteGuard.Outcome outcome = guard.check(event, context);
            if (outcome instanceof RouteGuard.Refused refused) {
                return refused.response();
            }
            principal = ((RouteGuard.Allowed) outcome).principal();
        } else {
            Optional<APIGatewayV2HTTPResponse> crossSite = CrossSiteCheck.refusal(originCheck, event, audit,
                    "Requests from other sites are refused.", context);
            if (crossSite.isPresent()) {
                return crossSite.get();
            }
        }
        if (HttpRequests.bodySize(event) > MAX_BODY_BYTES) {
            return Refusals.bodyTooLarge(audit, "The body is too large.", event, context);
        }
        try {
            return switch (route) {
                case "POST /auth/register" -> register(event, context);
                case "POST /auth/email/verify" -> verify(event, context);
                case "POST /auth/email/resend" -> resend(event, context);
                case "POST /auth/password/forgot" -> forgot(event, context);
                case "POST /auth/password/reset" -> reset(event, context);
                case "POST /auth/password/change" -> change(principal, event, context);
                default -> HttpResponses.problem(Problem.NOT_FOUND, "No such route.");
            };
        } catch (StoreUnavailableException e) {
            AuditLog.event(audit).outcome("error").reason("STORE_UNAVAILABLE").ip(HttpRequests.sourceIp(event)).error(context);
            return HttpResponses.problem(Problem.STORE_UNAVAILABLE, "Accounts are unavailable; try again shortly.");
        }
    }

    private APIGatewayV2HTTPResponse register(APIGatewayV2HTTPEvent event, Context context) {
        JsonFields request = JsonFields.from(event, MAX_BODY_BYTES, List.of("username", "email", "password"),
                List.of());
        if (!(request instanceof JsonFields.Fields fields)) {
            return invalid("register", (JsonFields.Invalid) request, event, context);
        }
        AccountService.SignUpOutcome outcome = accounts.register(
                new AccountService.SignUp(fields.get("username"), fields.get("email"), fields.get("password")));
        return switch (outcome) {
            case AccountService.SignedUp signedUp -> {
                // The same line for a new account and for a taken address: the log must not tell them apart either.
                AuditLog.event("register").outcome("accepted").ip(HttpRequests.sourceIp(event)).info(context);
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("user_id", signedUp.userId());
                body.put("status", signedUp.mustVerify() ? "verification_required" : "active");
                yield HttpResponses.json(signedUp.mustVerify() ? 202 : 201, body);
            }
            case AccountService.SignUpRefused refused -> {
                AuditLog.event("register").outcome("refused")
                        .reason(refused.password().map(Enum::name).orElse(refused.reason().name()))
                        .ip(HttpRequests.sourceIp(event)).warn(context);
                yield switch (refused.reason()) {
                    case CLOSED -> HttpResponses.problem(Problem.NOT_FOUND, "No such route.");
                    case MALFORMED_USERNAME -> HttpResponses.problem(Problem.MALFORMED_REQUEST,
                            "The username is not allowed: letters, digits and . _ @ + - only, at most 64.");
                    case MALFORMED_EMAIL -> HttpResponses.problem(Problem.MALFORMED_REQUEST, "The email address is not valid.");
                    case USERNAME_TAKEN -> HttpResponses.problem(Problem.USERNAME_TAKEN, "That username is taken.");
                    case WEAK_PASSWORD -> weakPassword(refused.password().orElseThrow());
                };
            }
        };
    }

    private APIGatewayV2HTTPResponse verify(APIGatewayV2HTTPEvent event, Context context) {
        JsonFields request = JsonFields.from(event, MAX_BODY_BYTES, List.of("token"), List.of());
        if (!(request instanceof JsonFields.Fields fields)) {
            return invalid("verify-email", (JsonFields.Invalid) request, event, context);
        }
        return tokenAnswer("verify-email", accounts.verifyEmail(fields.get("token")), List.of(), event, context);
    }

    private APIGatewayV2HTTPResponse resend(APIGatewayV2HTTPEvent event, Context context) {
        JsonFields request = JsonFields.from(event, MAX_BODY_BYTES, List.of("email"), List.of());
        if (!(request instanceof JsonFields.Fields fields)) {
            return invalid("resend-verification", (JsonFields.Invalid) request, event, context);
        }
        if (!accounts.resendVerification(fields.get("email"))) {
            return invalid("resend-verification", new JsonFields.Invalid(Problem.MALFORMED_REQUEST,
                    "The email address is not valid."), event, context);
        }
        AuditLog.event("resend-verification").outcome("accepted").ip(HttpRequests.sourceIp(event)).info(context);
        return HttpResponses.accepted(ACCEPTED);
    }

    private APIGatewayV2HTTPResponse forgot(APIGatewayV2HTTPEvent event, Context context) {
        JsonFields request = JsonFields.from(event, MAX_BODY_BYTES, List.of(), List.of("username", "email"));
        if (!(request instanceof JsonFields.Fields fields)) {
            return invalid("forgot-password", (JsonFields.Invalid) request, event, context);
        }
        String username = fields.get("username");
        String email = fields.get("email");
        if ((username == null) == (email == null) || !accounts.forgotPassword(username, email)) {
            return invalid("forgot-password", new JsonFields.Invalid(Problem.MALFORMED_REQUEST,
                    "Send either a valid \"username\" or a valid \"email\"."), event, context);
        }
        AuditLog.event("forgot-password").outcome("accepted").ip(HttpRequests.sourceIp(event)).info(context);
        return HttpResponses.accepted(ACCEPTED);
    }

    private APIGatewayV2HTTPResponse reset(APIGatewayV2HTTPEvent event, Context context) {
        JsonFields request = JsonFields.from(event, MAX_BODY_BYTES, List.of("token", "new_password"), List.of());
        if (!(request instanceof JsonFields.Fields fields)) {
            return invalid("reset-password", (JsonFields.Invalid) request, event, context);
        }
        return tokenAnswer("reset-password", accounts.resetPassword(fields.get("token"), fields.get("new_password")),
                List.of(cookies.clearSession(), cookies.clearCsrf()), event, context);
    }

    private APIGatewayV2HTTPResponse change(Principal principal, APIGatewayV2HTTPEvent event, Context context) {
        JsonFields request = JsonFields.from(event, MAX_BODY_BYTES, List.of("current_password", "new_password"),
                List.of("code", "recovery_code"));
        if (!(request instanceof JsonFields.Fields fields)) {
            return invalid("change-password", (JsonFields.Invalid) request, event, context);
        }
        if (fields.get("code") != null && fields.get("recovery_code") != null) {
            return invalid("change-password", new JsonFields.Invalid(Problem.MALFORMED_REQUEST,
                    "Send \"code\" or \"recovery_code\", not both."), event, context);
        }
        AccountService.ChangeOutcome outcome = accounts.changePassword(principal, fields.get("current_password"),
                fields.get("new_password"), MfaProof.of(fields.get("code"), fields.get("recovery_code")),
                HttpRequests.userAgent(event), HttpRequests.sourceIp(event));
        return switch (outcome) {
            case AccountService.Changed changed -> {
                LoginService.LoggedIn session = changed.session();
                AuditLog.event("change-password").outcome("success").user(principal.username()).sid(session.session().id())
                        .sessions(changed.sessionsEnded()).ip(HttpRequests.sourceIp(event)).info(context);
                yield SessionResponses.replaced(principal.authType(), cookies, session.session(), session.sessionCookie(),
                        session.csrfToken(), session.accessToken(), session.accessTokenLifetime(), clock.instant());
            }
            case AccountService.WrongPassword wrong -> {
                AuditLog.event("change-password").outcome("refused").reason("WRONG_PASSWORD").user(principal.username())
                        .ip(HttpRequests.sourceIp(event)).warn(context);
                yield HttpResponses.problem(Problem.INVALID_CREDENTIALS, "The current password is wrong.");
            }
            case AccountService.ChangeLocked locked -> {
                AuditLog.event("change-password").outcome("locked").user(principal.username())
                        .retryAfter(locked.retryAfter().toSeconds()).ip(HttpRequests.sourceIp(event)).warn(context);
                yield HttpResponses.locked(locked.retryAfter());
            }
            case AccountService.WeakPassword weak -> {
                AuditLog.event("change-password").outcome("refused").reason(weak.rejection().name())
                        .user(principal.username()).ip(HttpRequests.sourceIp(event)).warn(context);
                yield weakPassword(weak.rejection());
            }
            case AccountService.SecondFactorNeeded needed -> {
                AuditLog.event("change-password").outcome("refused").reason("SECOND_FACTOR_NEEDED")
                        .user(principal.username()).ip(HttpRequests.sourceIp(event)).warn(context);
                yield HttpResponses.problem(Problem.MFA_REQUIRED,
                        "This session did not use your second factor: send \"code\" (or \"recovery_code\") too.");
            }
            case AccountService.WrongSecondFactor wrong -> {
                AuditLog.event("change-password").outcome("refused").reason(wrong.reason().name())
                        .user(principal.username()).ip(HttpRequests.sourceIp(event)).warn(context);
                yield HttpResponses.problem(Problem.MFA_FAILED, "The second-factor code is wrong or used.");
            }
            case AccountService.CallerEnded ended -> Refusals.sessionEnded("change-password", principal, event, context);
        };
    }

    private APIGatewayV2HTTPResponse tokenAnswer(String audit, AccountService.TokenOutcome outcome, List<String> setCookies,
            APIGatewayV2HTTPEvent event, Context context) {
        return switch (outcome) {
            case AccountService.TokenAccepted accepted -> {
                AuditLog.event(audit).outcome("success").user(accepted.username()).sessions(accepted.sessionsEnded())
                        .ip(HttpRequests.sourceIp(event)).info(context);
                yield HttpResponses.noContent(setCookies);
            }
            case AccountService.TokenRefused refused -> {
                AuditLog.event(audit).outcome("refused").reason(refused.reason().name()).ip(HttpRequests.sourceIp(event))
                        .warn(context);
                yield HttpResponses.problem(Problem.INVALID_TOKEN,
                        "The link is invalid, used or expired; ask for a new mail.");
            }
            case AccountService.WeakPassword weak -> {
                AuditLog.event(audit).outcome("refused").reason(weak.rejection().name()).ip(HttpRequests.sourceIp(event))
                        .warn(context);
                yield weakPassword(weak.rejection());
            }
        };
    }

    private APIGatewayV2HTTPResponse weakPassword(PasswordPolicy.Rejection rejection) {
        if (rejection == PasswordPolicy.Rejection.BREACH_CHECK_UNAVAILABLE) {
            return HttpResponses.problem(Problem.STORE_UNAVAILABLE, detail(rejection),
                    Map.of("reason", rejection.name().toLowerCase(Locale.ROOT)), List.of());
        }
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("reason", rejection.name().toLowerCase(Locale.ROOT));
        members.put("min_length", policy.minLength());
        members.put("max_length", PasswordHasher.MAX_LENGTH);
        return HttpResponses.problem(Problem.WEAK_PASSWORD, detail(rejection), members, List.of());
    }

    private String detail(PasswordPolicy.Rejection rejection) {
        return switch (rejection) {
            case TOO_SHORT -> "The password needs at least " + policy.minLength() + " characters.";
            case TOO_LONG -> "The password may have at most " + PasswordHasher.MAX_LENGTH + " characters.";
            case NOT_UNICODE -> "The password is not valid Unicode text.";
            case BREACHED -> "The password appears in a list of breached or common passwords; choose another.";
            case CONTAINS_USERNAME -> "The password is too close to the username; choose another.";
            case BREACH_CHECK_UNAVAILABLE -> "Passwords cannot be checked right now; try again shortly.";
        };
    }

    private static APIGatewayV2HTTPResponse invalid(String audit, JsonFields.Invalid invalid,
            APIGatewayV2HTTPEvent event, Context context) {
        return Refusals.invalidBody(audit, invalid.problem(), invalid.detail(), event, context);
    }

    private static String auditName(String route) {
        return switch (route) {
            case "POST /auth/register" -> "register";
            case "POST /auth/email/verify" -> "verify-email";
            case "POST /auth/email/resend" -> "resend-verification";
            case "POST /auth/password/forgot" -> "forgot-password";
            case "POST /auth/password/reset" -> "reset-password";
            case "POST /auth/password/change" -> "change-password";
            default -> "account";
        };
    }
}
