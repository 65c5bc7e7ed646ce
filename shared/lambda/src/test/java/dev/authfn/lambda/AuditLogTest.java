package dev.authfn.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditLogTest {

    /** What reached the logger: the bytes and the level they were logged at. */
    private record Logged(String text, LogLevel level) {
    }

    private final List<Logged> logged = new ArrayList<>();
    private final LambdaLogger logger = new LambdaLogger() {
        @Override
        public void log(String message) {
            throw new AssertionError("an audit event is logged as bytes, never as a String the runtime would wrap");
        }

        @Override
        public void log(byte[] message) {
            throw new AssertionError("an audit event is logged with its level");
        }

        @Override
        public void log(byte[] message, LogLevel level) {
            logged.add(new Logged(new String(message, StandardCharsets.UTF_8), level));
        }
    };
    private final PrimingContextLike context = new PrimingContextLike(logger);

    @Test
    void logsOneJsonObjectWhoseMembersAreTheEventsFields() throws Exception {
        AuditLog.event("login").outcome("refused").reason("BAD_PASSWORD").ip("203.0.113.10").warn(context);

        assertThat(logged).hasSize(1);
        assertThat(logged.get(0).level()).isEqualTo(LogLevel.WARN);
        String line = logged.get(0).text();
        assertThat(line).endsWith("\n").doesNotContain("\r").hasLineCount(1);
        Map<String, Object> fields = JSONObjectUtils.parse(line);
        assertThat(fields).containsExactly(
                Map.entry("level", "WARN"),
                Map.entry("AWSRequestId", PrimingContextLike.REQUEST_ID),
                Map.entry("event", "login"),
                Map.entry("outcome", "refused"),
                Map.entry("reason", "BAD_PASSWORD"),
                Map.entry("ip", "203.0.113.10"));
    }

    @Test
    void numbersAreNumbersAndUnsetFieldsAreAbsent() throws Exception {
        AuditLog.event("logout-all").outcome("success").user("alice").sessions(3).info(context);
        AuditLog.event("login").outcome("locked").retryAfter(15).error(context);

        Map<String, Object> logoutAll = JSONObjectUtils.parse(logged.get(0).text());
        Map<String, Object> locked = JSONObjectUtils.parse(logged.get(1).text());
        assertThat(logoutAll).containsEntry("sessions", 3L).containsEntry("user", "alice")
                .doesNotContainKeys("reason", "route", "ip", "sid", "retry_after");
        assertThat(locked).containsEntry("retry_after", 15L).containsEntry("level", "ERROR");
        assertThat(logged.get(1).level()).isEqualTo(LogLevel.ERROR);
    }

    @Test
    void aForgedValueStaysInsideItsFieldOnOneLine() throws Exception {
        String forged = "GET /x\",\"outcome\":\"success\"\r\n{\"event\":\"login\"}\\";

        AuditLog.event("authorize").outcome("deny").route(forged).warn(context);

        String line = logged.get(0).text();
        assertThat(line.strip()).doesNotContain("\n", "\r");
        Map<String, Object> fields = JSONObjectUtils.parse(line);
        assertThat(fields).containsEntry("outcome", "deny")
                .containsEntry("route", "GET /x\",\"outcome\":\"success\"??{\"event\":\"login\"}\\");
    }

    @Test
    void boundsEveryValue() throws Exception {
        AuditLog.event("login").outcome("refused").user("u".repeat(10_000)).warn(context);

        Map<String, Object> fields = JSONObjectUtils.parse(logged.get(0).text());
        assertThat((String) fields.get("user")).hasSize(AuditLog.MAX_VALUE_LENGTH);
    }

    @Test
    void theJsonIsTheSameWithoutALogger() {
        assertThat(AuditLog.event("revoke").outcome("not_found").user("bob").json(LogLevel.WARN, "r-1"))
                .isEqualTo("{\"level\":\"WARN\",\"AWSRequestId\":\"r-1\",\"event\":\"revoke\",\"outcome\":\"not_found\","
                        + "\"user\":\"bob\"}");
    }

    /** A context with the given logger and a fixed request id. */
    private static final class PrimingContextLike implements com.amazonaws.services.lambda.runtime.Context {
        static final String REQUEST_ID = "c0ffee00-0000-4000-8000-000000000001";
        private final LambdaLogger logger;

        PrimingContextLike(LambdaLogger logger) {
            this.logger = logger;
        }

        @Override
        public String getAwsRequestId() {
            return REQUEST_ID;
        }

        @Override
        public String getLogGroupName() {
            return "";
        }

        @Override
        public String getLogStreamName() {
            return "";
        }

        @Override
        public String getFunctionName() {
            return "";
        }

        @Override
        public String getFunctionVersion() {
            return "";
        }

        @Override
        public String getInvokedFunctionArn() {
            return "";
        }

        @Override
        public com.amazonaws.services.lambda.runtime.CognitoIdentity getIdentity() {
            return null;
        }

        @Override
        public com.amazonaws.services.lambda.runtime.ClientContext getClientContext() {
            return null;
        }

        @Override
        public int getRemainingTimeInMillis() {
            return 1000;
        }

        @Override
        public int getMemoryLimitInMB() {
            return 512;
        }

        @Override
        public LambdaLogger getLogger() {
            return logger;
        }
    }
}
