package dev.authfn.bench.coldstart;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Wall-clock checkpoints of one cold start, from the moment the harness launched the JVM (epoch
 * nanoseconds, taken by the script just before {@code exec java}). Uses the JDK only, so it adds
 * nothing to the class loading it measures. Prints one line: {@code coldstart jvm=.. init=..
 * first=.. total=.. cpu=..} in milliseconds, each phase since the previous checkpoint, then the
 * wall clock from launch to the last checkpoint and the CPU time all the process's threads used
 * (the JIT compiler's and the collector's included: on a Lambda function of 1,024 MB, with a
 * fraction of a vCPU, that is what the wall clock pays for).
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
        // Read after the last checkpoint, so that it adds nothing to the phases it follows.
        ProcessHandle.current().info().totalCpuDuration()
                .ifPresent(cpu -> line.append(" cpu=").append(millis(cpu.toNanos())));
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
