package dev.authfn.bench.coldstart;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Wall-clock checkpoints of one cold start, from the moment the harness launched the JVM (epoch
 * nanoseconds, taken by the script just before {@code exec java}). Uses the JDK only, so it adds
 * nothing to the class loading it measures. Prints one line: {@code coldstart jvm=.. init=..
 * first=.. total=..} in milliseconds, each phase since the previous checkpoint.
 */
final class Checkpoints {

    private final long launchEpochNanos;
    private final List<String> names = new ArrayList<>();
    private final List<Long> times = new ArrayList<>();

    Checkpoints(String launchEpochNanos) {
        this.launchEpochNanos = Long.parseLong(launchEpochNanos);
    }

    void mark(String phase) {
        Instant now = Instant.now();
        times.add(now.getEpochSecond() * 1_000_000_000L + now.getNano());
        names.add(phase);
    }

    void print() {
        StringBuilder line = new StringBuilder("coldstart");
        long previous = launchEpochNanos;
        for (int i = 0; i < names.size(); i++) {
            line.append(' ').append(names.get(i)).append('=').append(millis(times.get(i) - previous));
            previous = times.get(i);
        }
        line.append(" total=").append(millis(previous - launchEpochNanos));
        System.out.println(line);
    }

    /** The arguments from {@code from} on. */
    static List<String> options(String[] args, int from) {
        return List.of(args).subList(Math.min(from, args.length), args.length);
    }

    private static String millis(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e6);
    }
}
