package dev.authfn.functions.passkeys;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.authfn.auth.Components;
import dev.authfn.auth.LoginService;
import dev.authfn.auth.PasskeyService;
import dev.authfn.core.StoreUnavailableException;
import dev.authfn.core.authz.Principal;
import dev.authfn.core.authz.StepUp;
import dev.authfn.core.config.AuthfnConfig.Requirement;
import dev.authfn.core.cookie.HttpCookies;
import dev.authfn.core.csrf.OriginCheck;
import dev.authfn.core.passkey.Passkey;
import dev.authfn.core.passkey.PasskeyChallenge;
import dev.authfn.lambda.AuditLog;
import dev.authfn.lambda.CrossSiteCheck;
import dev.authfn.lambda.HttpRequests;
import dev.authfn.lambda.HttpResponses;
import dev.authfn.lambda.Priming;
import dev.authfn.lambda.Problem;
import dev.authfn.lambda.Refusals;
import dev.authfn.lambda.RouteGuard;
import dev.authfn.lambda.SessionResponses;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The passkey routes (docs/API.md §17). Signing in ({@code /auth/passkeys/login/options} and
 * {@code /auth/passkeys/login}) is public and refuses cross-site requests as the password login
 * does; the others are behind the authorizer (which applies the CSRF and {@code Sec-Fetch-Site}
 * rules of every cookie-authenticated unsafe route), check the route policy again, and, to add or
 * remove a passkey, need a login within {@link #RECENT_LOGIN} (else the RFC 9470 challenge).
 * Size and content type come before any parsing, and the parsing before any store is read.
 */
public final class PasskeysHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    /** Room for an attestation object with a certificate chain, JSON-escaped. */
    static final int MAX_BODY_BYTES = 32 * 1024;

    /** How recent a login must be to add or remove a passkey. */
    static final Duration RECENT_LOGIN = Duration.ofMinutes(5);

    /** What this function cannot run without. */
    static final Set<Requirement> REQUIRED = EnumSet.allOf(Requirement.class);

    static final String REGISTER_OPTIONS = "POST /auth/passkeys/register/options";
    static final String REGISTER = "POST /auth/passkeys/register";
    static final String LIST = "GET /auth/passkeys";
    static final String RENAME = "PATCH /auth/passkeys/{id}";
    static final String REMOVE = "DELETE /auth/passkeys/{id}";
    static final String LOGIN_OPTIONS = "POST /auth/passkeys/login/options";
    static final String LOGIN = "POST /auth/passkeys/login";

    private final Components components;
    private final PasskeyService passkeys;
    private final RelyingParty relyingParty;
    private final PasskeyRequests requests;
    private final HttpCookies cookies;
    private final OriginCheck originCheck;
    private final RouteGuard guard;
    private final Clock clock;

    /** Lambda's constructor: the root and relying party from the process environment, and SnapStart priming. */
    public PasskeysHandler() {
        this(Components.fromEnvironment(System.getenv(), REQUIRED));
        Priming.register(new PasskeysPriming(this, components));
    }

    /**
     * The handler over a root built elsewhere (the local API, tests); nothing is primed. The
     * relying party is read from the root's environment, or, for a root with none
     * ({@link Components#of}), from its configuration's issuer.
     *
     * @throws dev.authfn.core.config.ConfigException when the relying party's settings are wrong
     */
    public PasskeysHandler(Components components) {
        this(components, RelyingParty.fromEnvironment(relyingPartySettings(components),
                components.config().accounts().siteName()));
    }

    /** The root's environment, with the configured issuer when the environment names none. */
    static Map<String, String> relyingPartySettings(Components components) {
        Map<String, String> settings = new HashMap<>(components.environment());
        components.config().issuer().ifPresent(issuer -> settings.putIfAbsent(RelyingParty.ENV_ISSUER, issuer));
        return settings;
    }

    PasskeysHandler(Components components, RelyingParty relyingParty) {
        this.components = components.require(REQUIRED);
        WebAuthn4jCeremonies ceremonies = new WebAuthn4jCeremonies(relyingParty);
        this.passkeys = components.passkeyService(ceremonies);
        this.relyingParty = relyingParty;
        this.requests = new PasskeyRequests(ceremonies.json());
        this.cookies = components.cookies();
        this.originCheck = components.originCheck();
        this.guard = new RouteGuard(components.routePolicy(), "passkey", components.clock());
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
        if (route.equals(LOGIN_OPTIONS) || route.equals(LOGIN)) {
            Optional<APIGatewayV2HTTPResponse> crossSite = CrossSiteCheck.refusal(originCheck, event, audit,
                    "Sign-ins from other sites are refused.", context);
            if (crossSite.isPresent()) {
                return crossSite.get();
            }
        } else {
            RouteGuard.Outcome outcome = route.equals(REGISTER_OPTIONS) || route.equals(REMOVE)
                    ? guard.check(event, context, StepUp.recentLogin(RECENT_LOGIN))
                    : guard.check(event, context);
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
                case LOGIN_OPTIONS -> signInOptions(event, context);
                case LOGIN -> signIn(event, context);
                case REGISTER_OPTIONS -> registrationOptions(principal, event, context);
                case REGISTER -> register(principal, event, context);
                case LIST -> list(principal, event, context);
                case RENAME -> rename(principal, event, context);
                default -> remove(principal, event, context);
            };
        } catch (StoreUnavailableException e) {
            AuditLog.event(audit).outcome("error").reason("STORE_UNAVAILABLE").ip(HttpRequests.sourceIp(event)).error(context);
            return HttpResponses.problem(Problem.STORE_UNAVAILABLE, "Passkeys are unavailable; try again shortly.");
        }
    }

    private APIGatewayV2HTTPResponse signInOptions(APIGatewayV2HTTPEvent event, Context context) {
        String challenge = passkeys.signInOptions();
        AuditLog.event("passkey-login-options").outcome("success").ip(HttpRequests.sourceIp(event)).info(context);
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("challenge", challenge);
        options.put("timeout", PasskeyChallenge.LIFETIME.toMillis());
        options.put("rpId", relyingParty.id());
        // Discoverable credentials: the authenticator offers the user's passkeys, no username asked.
        options.put("allowCredentials", List.of());
        options.put("userVerification", "required");
        return HttpResponses.json(200, options);
    }

    private APIGatewayV2HTTPResponse signIn(APIGatewayV2HTTPEvent event, Context context) {
        PasskeyRequests.Request request = requests.read(event, MAX_BODY_BYTES, false);
        if (request instanceof PasskeyRequests.Invalid invalid) {
            return invalid("passkey-login", invalid, event, context);
        }
        PasskeyRequests.Ceremony ceremony = (PasskeyRequests.Ceremony) request;
        PasskeyService.SignInOutcome outcome = passkeys.signIn(new PasskeyService.SignIn(ceremony.credentialJson(),
                HttpRequests.userAgent(event), HttpRequests.sourceIp(event)));
        return switch (outcome) {
            case PasskeyService.SignedIn(LoginService.LoggedIn loggedIn) -> {
                AuditLog.event("passkey-login").outcome("success").user(loggedIn.session().username())
                        .sid(loggedIn.session().id()).ip(HttpRequests.sourceIp(event)).info(context);
                yield HttpResponses.json(200, SessionResponses.tokenBody(loggedIn.session(), loggedIn.accessToken(),
                        loggedIn.accessTokenLifetime(), loggedIn.csrfToken()), SessionResponses.cookies(cookies,
                        loggedIn.session(), loggedIn.sessionCookie(), loggedIn.csrfToken(), clock.instant()));
            }
            case PasskeyService.Refused refused -> {
                AuditLog.event("passkey-login").outcome("refused").reason(refused.reason().name())
                        .user(refused.user().orElse(null)).ip(HttpRequests.sourceIp(event)).warn(context);
                yield HttpResponses.problem(Problem.PASSKEY_FAILED,
                        "The passkey was not accepted; ask for new options and try again.");
            }
            case PasskeyService.Locked locked -> {
                AuditLog.event("passkey-login").outcome("locked").retryAfter(locked.retryAfter().toSeconds())
                        .user(locked.user().orElse(null)).ip(HttpRequests.sourceIp(event)).warn(context);
                yield HttpResponses.locked(locked.retryAfter());
            }
            case PasskeyService.Unverified unverified -> {
                AuditLog.event("passkey-login").outcome("refused").reason("EMAIL_NOT_VERIFIED")
                        .ip(HttpRequests.sourceIp(event)).warn(context);
                yield HttpResponses.problem(Problem.EMAIL_NOT_VERIFIED,
                        "Verify your email address first: follow the link in the mail we sent.");
            }
        };
    }

    private APIGatewayV2HTTPResponse registrationOptions(Principal principal, APIGatewayV2HTTPEvent event,
            Context context) {
        return switch (passkeys.registrationOptions(principal)) {
            case PasskeyService.CreationOptions options -> {
                AuditLog.event("passkey-register-options").outcome("success").user(principal.username())
                        .ip(HttpRequests.sourceIp(event)).info(context);
                yield HttpResponses.json(200, creationOptions(options));
            }
            case PasskeyService.LimitReached limit -> limitReached("passkey-register-options", principal, event, context);
            case PasskeyService.MultiFactorRequired mfa -> Refusals.multiFactorRequired("passkey-register-options",
                    RECENT_LOGIN, principal, event, context);
            case PasskeyService.CallerEnded ended -> callerEnded("passkey-register-options", principal, event, context);
        };
    }

    /** WebAuthn's PublicKeyCredentialCreationOptionsJSON (binary values unpadded base64url). */
    private Map<String, Object> creationOptions(PasskeyService.CreationOptions options) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("rp", Map.of("id", relyingParty.id(), "name", relyingParty.name()));
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("id", options.userHandle());
        user.put("name", options.username());
        user.put("displayName", options.username());
        body.put("user", user);
        body.put("challenge", options.challenge());
        body.put("pubKeyCredParams", WebAuthn4jCeremonies.ALGORITHMS.stream()
                .map(algorithm -> Map.of("type", "public-key", "alg", algorithm.getValue())).toList());
        body.put("timeout", PasskeyChallenge.LIFETIME.toMillis());
        body.put("excludeCredentials", options.existing().stream().map(PasskeysHandler::descriptor).toList());
        Map<String, Object> selection = new LinkedHashMap<>();
        selection.put("residentKey", "required");
        selection.put("requireResidentKey", true);
        selection.put("userVerification", "required");
        body.put("authenticatorSelection", selection);
        body.put("attestation", "none");
        return body;
    }

    private static Map<String, Object> descriptor(Passkey passkey) {
        Map<String, Object> descriptor = new LinkedHashMap<>();
        descriptor.put("type", "public-key");
        descriptor.put("id", passkey.credentialId());
        descriptor.put("transports", passkey.transports());
        return descriptor;
    }

    private APIGatewayV2HTTPResponse register(Principal principal, APIGatewayV2HTTPEvent event, Context context) {
        PasskeyRequests.Request request = requests.read(event, MAX_BODY_BYTES, true);
        if (request instanceof PasskeyRequests.Invalid invalid) {
            return invalid("passkey-register", invalid, event, context);
        }
        PasskeyRequests.Ceremony ceremony = (PasskeyRequests.Ceremony) request;
        return switch (passkeys.register(principal, ceremony.credentialJson(), ceremony.name())) {
            case PasskeyService.Registered registered -> {
                AuditLog.event("passkey-register").outcome("success").user(principal.username())
                        .ip(HttpRequests.sourceIp(event)).info(context);
                yield HttpResponses.json(201, view(registered.passkey()));
            }
            case PasskeyService.Refused refused -> {
                AuditLog.event("passkey-register").outcome("refused").reason(refused.reason().name())
                        .user(principal.username()).ip(HttpRequests.sourceIp(event)).warn(context);
                yield HttpResponses.problem(Problem.PASSKEY_REJECTED,
                        "The new passkey was not accepted; ask for new options and try again.");
            }
            case PasskeyService.LimitReached limit -> limitReached("passkey-register", principal, event, context);
            case PasskeyService.CallerEnded ended -> callerEnded("passkey-register", principal, event, context);
        };
    }

    private APIGatewayV2HTTPResponse list(Principal principal, APIGatewayV2HTTPEvent event, Context context) {
        return switch (passkeys.list(principal)) {
            case PasskeyService.Passkeys listed -> HttpResponses.json(200,
                    Map.of("passkeys", listed.passkeys().stream().map(PasskeysHandler::view).toList()));
            case PasskeyService.CallerEnded ended -> callerEnded("passkey-list", principal, event, context);
        };
    }

    private APIGatewayV2HTTPResponse rename(Principal principal, APIGatewayV2HTTPEvent event, Context context) {
        PasskeyRequests.Request request = requests.readName(event, MAX_BODY_BYTES);
        if (request instanceof PasskeyRequests.Invalid invalid) {
            return invalid("passkey-rename", invalid, event, context);
        }
        String name = ((PasskeyRequests.Name) request).name();
        return switch (passkeys.rename(principal, pathId(event), name)) {
            case PasskeyService.Renamed renamed -> {
                AuditLog.event("passkey-rename").outcome("success").user(principal.username())
                        .ip(HttpRequests.sourceIp(event)).info(context);
                yield HttpResponses.noContent(List.of());
            }
            case PasskeyService.NotFound none -> notFound("passkey-rename", principal, event, context);
            case PasskeyService.CallerEnded ended -> callerEnded("passkey-rename", principal, event, context);
        };
    }

    private APIGatewayV2HTTPResponse remove(Principal principal, APIGatewayV2HTTPEvent event, Context context) {
        return switch (passkeys.remove(principal, pathId(event), HttpRequests.userAgent(event),
                HttpRequests.sourceIp(event))) {
            case PasskeyService.Removed removed -> {
                LoginService.LoggedIn session = removed.session();
                AuditLog.event("passkey-remove").outcome("success").user(principal.username()).sid(session.session().id())
                        .sessions(removed.sessionsEnded()).ip(HttpRequests.sourceIp(event)).info(context);
                yield SessionResponses.replaced(principal.authType(), cookies, session.session(), session.sessionCookie(),
                        session.csrfToken(), session.accessToken(), session.accessTokenLifetime(), clock.instant());
            }
            case PasskeyService.NotFound none -> notFound("passkey-remove", principal, event, context);
            case PasskeyService.MultiFactorRequired mfa -> Refusals.multiFactorRequired("passkey-remove", RECENT_LOGIN,
                    principal, event, context);
            case PasskeyService.CallerEnded ended -> callerEnded("passkey-remove", principal, event, context);
        };
    }

    /** A passkey as the list and the registration show it; no key material. */
    static Map<String, Object> view(Passkey passkey) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", passkey.credentialId());
        view.put("name", passkey.name());
        view.put("created_at", passkey.createdAt().toString());
        view.put("last_used_at", passkey.lastUsedAt().map(Object::toString).orElse(null));
        view.put("aaguid", passkey.aaguid());
        view.put("transports", passkey.transports());
        view.put("backup_eligible", passkey.backupEligible());
        view.put("backed_up", passkey.backedUp());
        view.put("flagged", passkey.flagged());
        return view;
    }

    /** The {@code {id}} path parameter; API Gateway matched the route, so it is there (empty if not). */
    private static String pathId(APIGatewayV2HTTPEvent event) {
        Map<String, String> parameters = event.getPathParameters();
        String id = parameters == null ? null : parameters.get("id");
        return id == null ? "" : id;
    }

    private static APIGatewayV2HTTPResponse limitReached(String audit, Principal principal, APIGatewayV2HTTPEvent event,
            Context context) {
        AuditLog.event(audit).outcome("refused").reason("LIMIT_REACHED").user(principal.username())
                .ip(HttpRequests.sourceIp(event)).warn(context);
        return HttpResponses.problem(Problem.PASSKEY_LIMIT,
                "This account has " + PasskeyService.MAX_PASSKEYS + " passkeys, the most allowed; remove one first.");
    }

    private static APIGatewayV2HTTPResponse notFound(String audit, Principal principal, APIGatewayV2HTTPEvent event,
            Context context) {
        AuditLog.event(audit).outcome("refused").reason("NOT_FOUND").user(principal.username())
                .ip(HttpRequests.sourceIp(event)).warn(context);
        return HttpResponses.problem(Problem.NOT_FOUND, "You have no passkey with that id.");
    }

    private static APIGatewayV2HTTPResponse callerEnded(String audit, Principal principal, APIGatewayV2HTTPEvent event,
            Context context) {
        return Refusals.sessionEnded(audit, principal, event, context);
    }

    private static APIGatewayV2HTTPResponse invalid(String audit, PasskeyRequests.Invalid invalid,
            APIGatewayV2HTTPEvent event, Context context) {
        return Refusals.invalidBody(audit, invalid.problem(), invalid.detail(), event, context);
    }

    /** The audit event name of a route of this function; null for any other route. */
    private static String auditName(String route) {
        return switch (route) {
            case REGISTER_OPTIONS -> "passkey-register-options";
            case REGISTER -> "passkey-register";
            case LIST -> "passkey-list";
            case RENAME -> "passkey-rename";
            case REMOVE -> "passkey-remove";
            case LOGIN_OPTIONS -> "passkey-login-options";
            case LOGIN -> "passkey-login";
            default -> null;
        };
    }
}
