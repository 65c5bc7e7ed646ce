package dev.authfn.handler;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.authfn.handler.internal.ProblemResponses;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** What {@link Require#check} decided: the caller may go on, or the response to send instead. */
public sealed interface Access permits Access.Granted, Access.Denied {

    /** The requirement holds for this principal. */
    record Granted(Principal principal) implements Access {
        public Granted {
            Objects.requireNonNull(principal, "principal");
        }
    }

    /**
     * The request must not run: {@code 401 not-authenticated} when the event carries no authfn
     * principal (the route was reached without the authorizer), {@code 401 step-up-required} with
     * an RFC 9470 {@code WWW-Authenticate} challenge when the login is not strong or recent enough
     * (the authorizer's challenge, or this requirement's {@link Require#mfa()} or
     * {@link Require#recentLogin}), {@code 403 forbidden} when the principal does not meet the
     * requirement otherwise. The answer is an RFC 9457 {@code application/problem+json} body with
     * {@code Cache-Control: no-store}; it names no role or permission the caller lacks.
     *
     * @param status          401 or 403
     * @param type            the problem's {@code type}: {@code urn:authfn:problem:not-authenticated},
     *                        {@code urn:authfn:problem:step-up-required} or {@code urn:authfn:problem:forbidden}
     * @param title           the problem's {@code title}
     * @param detail          the problem's {@code detail}
     * @param wwwAuthenticate the RFC 9470 challenge of a step-up refusal, else empty
     */
    record Denied(int status, String type, String title, String detail, Optional<String> wwwAuthenticate)
            implements Access {

        public Denied {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(wwwAuthenticate, "wwwAuthenticate");
        }

        /** A denial without a challenge. */
        public Denied(int status, String type, String title, String detail) {
            this(status, type, title, detail, Optional.empty());
        }

        /**
         * {@code Content-Type: application/problem+json}, {@code Cache-Control: no-store},
         * {@code X-Content-Type-Options: nosniff}, and {@code WWW-Authenticate} for a step-up refusal.
         */
        public Map<String, String> headers() {
            return wwwAuthenticate.map(ProblemResponses::headersWith).orElse(ProblemResponses.HEADERS);
        }

        /** The problem as JSON: {@code {"type","title","status","detail"}}. */
        public String body() {
            return ProblemResponses.body(type, title, status, detail);
        }

        /** For a {@code RequestHandler} behind an HTTP API (payload format 2.0). */
        public APIGatewayV2HTTPResponse toHttpApiResponse() {
            APIGatewayV2HTTPResponse response = new APIGatewayV2HTTPResponse();
            response.setStatusCode(status);
            response.setHeaders(new java.util.LinkedHashMap<>(headers()));
            response.setBody(body());
            response.setIsBase64Encoded(false);
            return response;
        }

        /** For a {@code RequestHandler} behind a REST API (Lambda proxy integration). */
        public APIGatewayProxyResponseEvent toRestResponse() {
            return new APIGatewayProxyResponseEvent()
                    .withStatusCode(status)
                    .withHeaders(new java.util.LinkedHashMap<>(headers()))
                    .withBody(body())
                    .withIsBase64Encoded(false);
        }

        /**
         * The response as the JSON a {@code RequestStreamHandler} writes to its output stream:
         * {@code {"statusCode","headers","body","isBase64Encoded"}}, which both HTTP API (2.0) and
         * REST proxy integrations accept.
         */
        public String toResponseJson() {
            return ProblemResponses.responseJson(status, headers(), body());
        }
    }
}
