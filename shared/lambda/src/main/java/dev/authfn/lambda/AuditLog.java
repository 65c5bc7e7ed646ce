package dev.authfn.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One audit event per authentication decision, logged as one JSON object whose members are
 * fields CloudWatch Logs Insights can filter on ({@code filter event = "login" and outcome =
 * "refused" | stats count() by reason}):
 *
 * <pre>{@code {"level":"WARN","AWSRequestId":"…","event":"login","outcome":"refused","reason":"BAD_PASSWORD","ip":"203.0.113.10"}}</pre>
 *
 * <p><b>No secret can be logged.</b> The fields are fixed ({@link Builder}'s setters; there is no
 * free-form key), and callers pass reason codes, canonical usernames, route keys, session ids
 * and source addresses, never tokens, cookies, passwords, headers or events. Values are still
 * bounded (128 characters) and control characters become {@code ?}, so an event stays one line.
 *
 * <p><b>Why bytes.</b> Under the template's {@code LogFormat: JSON}, Lambda's Java runtime wraps a
 * {@code String} logged through {@link LambdaLogger} in its own object, where ours would be one
 * escaped {@code message} string and no field would be queryable. A {@code byte[]} is passed
 * through unformatted (and still filtered by the function's log level), so the event itself is
 * the log record, with {@code level} and {@code AWSRequestId} written here as the runtime writes
 * them.
 */
public final class AuditLog {

    static final int MAX_VALUE_LENGTH = 128;

    private AuditLog() {
    }

    /** Starts an event, e.g. {@code login}, {@code authorize}, {@code refresh}. */
    public static Builder event(String name) {
        return new Builder(name);
    }

    /** The fields of one event, in the order they are written. */
    public static final class Builder {
        private final String event;
        private String outcome;
        private String reason;
        private String route;
        private String ip;
        private String user;
        private String sid;
        private Long retryAfter;
        private Integer sessions;

        private Builder(String event) {
            this.event = Objects.requireNonNull(event, "event");
        }

        /** What happened: {@code success}, {@code refused}, {@code deny}, {@code error}, … */
        public Builder outcome(String outcome) {
            this.outcome = outcome;
            return this;
        }

        /** The reason code of a refusal, e.g. {@code BAD_COOKIE/BAD_SIGNATURE}. */
        public Builder reason(String reason) {
            this.reason = reason;
            return this;
        }

        /** The route key, e.g. {@code POST /posts}. */
        public Builder route(String route) {
            this.route = route;
            return this;
        }

        /** The caller's source address as API Gateway saw it. */
        public Builder ip(String ip) {
            this.ip = ip;
            return this;
        }

        /** A canonical username (never what the caller typed before canonicalisation). */
        public Builder user(String user) {
            this.user = user;
            return this;
        }

        /** A session id (an identifier, not the session secret). */
        public Builder sid(String sid) {
            this.sid = sid;
            return this;
        }

        /** Seconds until a lock ends. */
        public Builder retryAfter(long seconds) {
            this.retryAfter = seconds;
            return this;
        }

        /** How many sessions an action ended. */
        public Builder sessions(int count) {
            this.sessions = count;
            return this;
        }

        public void info(Context context) {
            log(context, LogLevel.INFO);
        }

        public void warn(Context context) {
            log(context, LogLevel.WARN);
        }

        public void error(Context context) {
            log(context, LogLevel.ERROR);
        }

        /** The JSON object that would be logged at {@code level} for {@code requestId}; public for tests. */
        public String json(LogLevel level, String requestId) {
            StringBuilder json = new StringBuilder(160).append('{');
            member(json, "level", level.name());
            member(json, "AWSRequestId", requestId);
            member(json, "event", event);
            member(json, "outcome", outcome);
            member(json, "reason", reason);
            member(json, "route", route);
            member(json, "ip", ip);
            member(json, "user", user);
            member(json, "sid", sid);
            if (retryAfter != null) {
                json.append(",\"retry_after\":").append(retryAfter.longValue());
            }
            if (sessions != null) {
                json.append(",\"sessions\":").append(sessions.intValue());
            }
            return json.append('}').toString();
        }

        private void log(Context context, LogLevel level) {
            LambdaLogger logger = context == null ? null : context.getLogger();
            String line = json(level, context == null ? null : context.getAwsRequestId());
            if (logger != null) {
                logger.log((line + "\n").getBytes(StandardCharsets.UTF_8), level);
            } else {
                System.err.println(line);
            }
        }

        private static void member(StringBuilder json, String name, String value) {
            if (value == null) {
                return;
            }
            if (json.length() > 1) {
                json.append(',');
            }
            json.append('"').append(name).append("\":\"");
            int end = Math.min(value.length(), MAX_VALUE_LENGTH);
            for (int i = 0; i < end; i++) {
                char c = value.charAt(i);
                if (c == '"' || c == '\\') {
                    json.append('\\').append(c);
                } else if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) || c == '\u2028' || c == '\u2029') {
                    json.append('?');
                } else {
                    json.append(c);
                }
            }
            json.append('"');
        }
    }
}
