package dev.authfn.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.authfn.core.csrf.OriginCheck;
import java.util.Optional;

/**
 * What every public unsafe route (login, the account routes, the second step of a login) does
 * first: refuse a cross-site request by its {@code Origin} and {@code Sec-Fetch-Site}
 * (docs/API.md §7.2), with one audit line naming the reason, before any parsing or hashing.
 */
public final class CrossSiteCheck {

    private CrossSiteCheck() {
    }

    /**
     * The 403 {@code cross-site-request} answer for a cross-site request, logged under
     * {@code audit}; empty when the request may go on.
     *
     * @param detail the problem's detail, e.g. "Logins from other sites are refused."
     */
    public static Optional<APIGatewayV2HTTPResponse> refusal(OriginCheck check, APIGatewayV2HTTPEvent event,
            String audit, String detail, Context context) {
        Optional<OriginCheck.Reason> crossSite = check.check(HttpRequests.header(event, "origin"),
                HttpRequests.header(event, "sec-fetch-site"), HttpRequests.selfOrigin(event));
        if (crossSite.isEmpty()) {
            return Optional.empty();
        }
        AuditLog.event(audit).outcome("refused").reason(crossSite.get().name()).ip(HttpRequests.sourceIp(event))
                .warn(context);
        return Optional.of(HttpResponses.problem(Problem.CROSS_SITE_REQUEST, detail));
    }
}
