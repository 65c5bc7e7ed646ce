package dev.authfn.testkit.lambda;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import dev.authfn.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Map;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Lambda context whose logger keeps every record, so tests can assert what was (not) logged.
 * Audit events ({@code dev.authfn.lambda.AuditLog}) arrive as one JSON object each:
 * {@link #records()} has them as logged, {@link #events()} parsed, and {@link #lines()} as a
 * compact {@code LEVEL event key=value…} summary for exact one-line assertions.
 */
public final class RecordingContext implements Context {

    /** The summary's field order: the order AuditLog writes them. */
    private static final List<String> FIELDS =
            List.of("outcome", "reason", "route", "ip", "user", "sid", "retry_after", "sessions");

    private final List<String> records = new CopyOnWriteArrayList<>();
    private final LambdaLogger logger = new LambdaLogger() {
        @Override
        public void log(String message) {
            records.add(message);
        }

        @Override
        public void log(byte[] message) {
            records.add(new String(message, StandardCharsets.UTF_8));
        }

        @Override
        public void log(String message, LogLevel level) {
            records.add(level + " " + message);
        }

        @Override
        public void log(byte[] message, LogLevel level) {
            log(message);
        }
    };

    /** Every record exactly as logged (an audit event: its JSON object and a newline). */
    public List<String> records() {
        return List.copyOf(records);
    }

    /** Every audit event, parsed; fails the test on a record that is not one JSON object. */
    public List<Map<String, Object>> events() {
        List<Map<String, Object>> events = new ArrayList<>();
        for (String record : records) {
            events.add(Json.parseObject(record.strip())
                    .orElseThrow(() -> new AssertionError("not a JSON audit event: " + record)));
        }
        return events;
    }

    /**
     * Every record as one line: an audit event as {@code LEVEL event key=value…} (values with
     * spaces as {@code _}, e.g. {@code route=GET_/admin}), anything else as logged.
     */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        for (String record : records) {
            String trimmed = record.strip();
            if (!trimmed.startsWith("{")) {
                lines.add(record);
                continue;
            }
            Map<String, Object> event = Json.parseObject(trimmed)
                    .orElseThrow(() -> new AssertionError("not a JSON audit event: " + record));
            StringBuilder line = new StringBuilder().append(event.get("level")).append(' ').append(event.get("event"));
            for (String field : FIELDS) {
                if (event.containsKey(field)) {
                    line.append(' ').append(field).append('=').append(String.valueOf(event.get(field)).replace(' ', '_'));
                }
            }
            lines.add(line.toString());
        }
        return lines;
    }

    @Override
    public String getAwsRequestId() {
        return "c0ffee00-0000-4000-8000-000000000001";
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/test";
    }

    @Override
    public String getLogStreamName() {
        return "test";
    }

    @Override
    public String getFunctionName() {
        return "test";
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:us-east-1:123456789012:function:test";
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return 10_000;
    }

    @Override
    public int getMemoryLimitInMB() {
        return 1024;
    }

    @Override
    public LambdaLogger getLogger() {
        return logger;
    }
}
