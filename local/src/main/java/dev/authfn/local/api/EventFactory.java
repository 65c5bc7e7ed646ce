package dev.authfn.local.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.authfn.local.LocalAws;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Builds the events an HTTP API sends for a request: the payload format 2.0 integration event
 * ({@link APIGatewayV2HTTPEvent}) and the Lambda authorizer's event
 * ({@link APIGatewayV2CustomAuthorizerEvent}), with what API Gateway does to a request on the way:
 *
 * <ul>
 *   <li>header names lower-cased, repeated headers joined with {@code ,};</li>
 *   <li>{@code Cookie} headers removed from the headers and split on {@code ;} into {@code cookies};</li>
 *   <li>{@code x-forwarded-for} (client address appended), {@code x-forwarded-port} and
 *       {@code x-forwarded-proto} set — {@code http} here, {@code https} behind API Gateway;</li>
 *   <li>query parameters decoded, repeated names joined with {@code ,}; {@code rawQueryString} as sent;</li>
 *   <li>the body as text for text-like content types ({@code text/*}, {@code application/json},
 *       {@code application/*+json}, {@code application/x-www-form-urlencoded},
 *       {@code application/xml}), otherwise base64 with {@code isBase64Encoded};</li>
 *   <li>absent parts ({@code cookies}, {@code queryStringParameters}, {@code pathParameters},
 *       {@code body}) left {@code null}, as API Gateway leaves them out.</li>
 * </ul>
 */
public final class EventFactory {

    /** API Gateway's {@code requestContext.time} format. */
    public static final DateTimeFormatter TIME_FORMAT =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private static final String STAGE = "$default";
    private static final Set<String> TEXT_TYPES =
            Set.of("application/json", "application/x-www-form-urlencoded", "application/xml");

    private final Clock clock;
    private final Supplier<String> requestIds;

    /** Times from {@code clock}; request ids random and shaped like API Gateway's ({@code JKJaXmPLvHcESHA=}). */
    public EventFactory(Clock clock) {
        this(clock, EventFactory::randomRequestId);
    }

    public EventFactory(Clock clock, Supplier<String> requestIds) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.requestIds = Objects.requireNonNull(requestIds, "requestIds");
    }

    /** Stamps a request with its id and time; its authorizer and integration events share both, as in API Gateway. */
    public Request request(IncomingRequest incoming, RouteMatch match) {
        return new Request(incoming, match, requestIds.get(), clock.instant());
    }

    /** One request, stamped, from which both events are built. */
    public static final class Request {

        private final IncomingRequest incoming;
        private final RouteMatch match;
        private final String requestId;
        private final Instant time;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private final List<String> cookies = new ArrayList<>();
        private final Map<String, String> query;

        private Request(IncomingRequest incoming, RouteMatch match, String requestId, Instant time) {
            this.incoming = incoming;
            this.match = match;
            this.requestId = requestId;
            this.time = time;
            readHeaders();
            this.query = parseQuery(incoming.rawQueryString());
        }

        /** API Gateway's {@code requestContext.requestId}. */
        public String requestId() {
            return requestId;
        }

        /**
         * The value of an identity source expression, {@code $request.header.Name} or
         * {@code $request.querystring.name}; empty when the request lacks it or it is blank.
         */
        public Optional<String> identityValue(String expression) {
            String value = null;
            if (expression.startsWith("$request.header.")) {
                value = headers.get(expression.substring("$request.header.".length()).toLowerCase(Locale.ROOT));
            } else if (expression.startsWith("$request.querystring.")) {
                value = query.get(expression.substring("$request.querystring.".length()));
            }
            return Optional.ofNullable(value).filter(v -> !v.isBlank());
        }

        /** The Lambda authorizer's event (payload format 2.0, type {@code REQUEST}). */
        public APIGatewayV2CustomAuthorizerEvent authorizerEvent(List<String> identitySource) {
            APIGatewayV2CustomAuthorizerEvent.Http http = new APIGatewayV2CustomAuthorizerEvent.Http();
            http.setMethod(incoming.method());
            http.setPath(incoming.path());
            http.setProtocol("HTTP/1.1");
            http.setSourceIp(incoming.sourceIp());
            http.setUserAgent(headers.get("user-agent"));

            APIGatewayV2CustomAuthorizerEvent.RequestContext context = new APIGatewayV2CustomAuthorizerEvent.RequestContext();
            context.setAccountId(LocalAws.ACCOUNT_ID);
            context.setApiId(LocalAws.API_ID);
            context.setDomainName(domainName());
            context.setDomainPrefix(domainPrefix());
            context.setHttp(http);
            context.setRequestId(requestId);
            context.setRouteKey(routeKey());
            context.setStage(STAGE);
            context.setTime(TIME_FORMAT.format(time));
            context.setTimeEpoch(time.toEpochMilli());

            APIGatewayV2CustomAuthorizerEvent event = new APIGatewayV2CustomAuthorizerEvent();
            event.setVersion("2.0");
            event.setType("REQUEST");
            event.setRouteArn("arn:aws:execute-api:" + LocalAws.REGION + ":" + LocalAws.ACCOUNT_ID + ":" + LocalAws.API_ID
                    + "/" + STAGE + "/" + incoming.method() + "/" + incoming.path().replaceFirst("^/", ""));
            event.setIdentitySource(List.copyOf(identitySource));
            event.setRouteKey(routeKey());
            event.setRawPath(incoming.path());
            event.setRawQueryString(incoming.rawQueryString());
            event.setCookies(cookiesOrNull());
            event.setHeaders(new LinkedHashMap<>(headers));
            event.setQueryStringParameters(query.isEmpty() ? null : new LinkedHashMap<>(query));
            event.setPathParameters(pathParametersOrNull());
            event.setRequestContext(context);
            return event;
        }

        /**
         * The integration event (payload format 2.0). {@code authorizerContext} is what the
         * authorizer returned, delivered as {@code requestContext.authorizer.lambda}; {@code null}
         * for a route without an authorizer, which gets no {@code authorizer} at all.
         */
        public APIGatewayV2HTTPEvent httpEvent(Map<String, String> authorizerContext) {
            APIGatewayV2HTTPEvent.RequestContext.Http http = new APIGatewayV2HTTPEvent.RequestContext.Http();
            http.setMethod(incoming.method());
            http.setPath(incoming.path());
            http.setProtocol("HTTP/1.1");
            http.setSourceIp(incoming.sourceIp());
            http.setUserAgent(headers.get("user-agent"));

            APIGatewayV2HTTPEvent.RequestContext context = new APIGatewayV2HTTPEvent.RequestContext();
            context.setAccountId(LocalAws.ACCOUNT_ID);
            context.setApiId(LocalAws.API_ID);
            context.setDomainName(domainName());
            context.setDomainPrefix(domainPrefix());
            context.setHttp(http);
            context.setRequestId(requestId);
            context.setRouteKey(routeKey());
            context.setStage(STAGE);
            context.setTime(TIME_FORMAT.format(time));
            context.setTimeEpoch(time.toEpochMilli());
            if (authorizerContext != null) {
                APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer = new APIGatewayV2HTTPEvent.RequestContext.Authorizer();
                authorizer.setLambda(new LinkedHashMap<>(authorizerContext));
                context.setAuthorizer(authorizer);
            }

            APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
            event.setVersion("2.0");
            event.setRouteKey(routeKey());
            event.setRawPath(incoming.path());
            event.setRawQueryString(incoming.rawQueryString());
            event.setCookies(cookiesOrNull());
            event.setHeaders(new LinkedHashMap<>(headers));
            event.setQueryStringParameters(query.isEmpty() ? null : new LinkedHashMap<>(query));
            event.setPathParameters(pathParametersOrNull());
            event.setRequestContext(context);
            byte[] body = incoming.body();
            if (body.length > 0) {
                boolean text = isText(headers.get("content-type"));
                event.setBody(text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body));
                event.setIsBase64Encoded(!text);
            }
            return event;
        }

        private void readHeaders() {
            incoming.headers().forEach((name, values) -> {
                String lower = name.toLowerCase(Locale.ROOT);
                if (lower.equals("cookie")) {
                    values.forEach(value -> splitCookies(value, cookies));
                } else {
                    values.forEach(value -> headers.merge(lower, value, (first, next) -> first + "," + next));
                }
            });
            String forwardedFor = headers.get("x-forwarded-for");
            headers.put("x-forwarded-for", forwardedFor == null ? incoming.sourceIp() : forwardedFor + ", " + incoming.sourceIp());
            headers.put("x-forwarded-port", Integer.toString(incoming.serverPort()));
            headers.put("x-forwarded-proto", "http");
        }

        private String routeKey() {
            return match.route().routeKey();
        }

        private String domainName() {
            return headers.getOrDefault("host", "127.0.0.1:" + incoming.serverPort());
        }

        private String domainPrefix() {
            String host = domainName().replaceFirst(":\\d+$", "");
            int dot = host.indexOf('.');
            return dot < 0 ? host : host.substring(0, dot);
        }

        private List<String> cookiesOrNull() {
            return cookies.isEmpty() ? null : List.copyOf(cookies);
        }

        private Map<String, String> pathParametersOrNull() {
            return match.pathParameters().isEmpty() ? null : new LinkedHashMap<>(match.pathParameters());
        }
    }

    private static String randomRequestId() {
        byte[] id = new byte[11];
        ThreadLocalRandom.current().nextBytes(id);
        return Base64.getEncoder().encodeToString(id);
    }

    private static void splitCookies(String header, List<String> into) {
        for (String cookie : header.split(";")) {
            String trimmed = cookie.trim();
            if (!trimmed.isEmpty()) {
                into.add(trimmed);
            }
        }
    }

    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (raw.isEmpty()) {
            return parameters;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            parameters.merge(name, value, (first, next) -> first + "," + next);
        }
        return parameters;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformedEscape) {
            return text;
        }
    }

    private static boolean isText(String contentType) {
        if (contentType == null) {
            return false;
        }
        String media = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return media.startsWith("text/") || TEXT_TYPES.contains(media)
                || (media.startsWith("application/") && media.endsWith("+json"));
    }
}
