package dev.authfn.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;

/**
 * One log line per authentication event: {@code event outcome=... reason=...} with plain tokens
 * only. Callers pass reason codes and canonical usernames, never tokens, cookies, passwords,
 * headers or events; values are still stripped of anything but a safe alphabet so a line stays
 * one line (a space becomes {@code _}, as in {@code route=GET_/admin}; anything else odd {@code ?}).
 */
public final class AuditLog {

    private AuditLog() {
    }

    /** Logs {@code event} followed by {@code key=value} pairs given as alternating arguments. */
    public static void info(Context context, String event, String... keyValues) {
        log(context, LogLevel.INFO, event, keyValues);
    }

    public static void warn(Context context, String event, String... keyValues) {
        log(context, LogLevel.WARN, event, keyValues);
    }

    public static void error(Context context, String event, String... keyValues) {
        log(context, LogLevel.ERROR, event, keyValues);
    }

    /** The line that would be logged; public so tests can assert its exact form. */
    public static String line(String event, String... keyValues) {
        StringBuilder line = new StringBuilder(64).append(safe(event));
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            line.append(' ').append(safe(keyValues[i])).append('=').append(safe(keyValues[i + 1]));
        }
        return line.toString();
    }

    private static void log(Context context, LogLevel level, String event, String... keyValues) {
        String line = line(event, keyValues);
        LambdaLogger logger = context == null ? null : context.getLogger();
        if (logger != null) {
            logger.log(line, level);
        } else {
            System.err.println(level + " " + line);
        }
    }

    private static String safe(String value) {
        if (value == null || value.isEmpty()) {
            return "-";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), 128));
        for (int i = 0; i < value.length() && out.length() < 128; i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "._@+-/:".indexOf(c) >= 0;
            out.append(ok ? c : c == ' ' ? '_' : '?');
        }
        return out.toString();
    }
}
