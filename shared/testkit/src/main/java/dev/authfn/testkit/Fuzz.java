package dev.authfn.testkit;

import java.time.Duration;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Bounded, reproducible fuzzing for tests: one seeded {@link Random} drives every iteration until
 * the time budget is spent. The budget is a few seconds by default and {@code -Dauthfn.fuzz.seconds=N}
 * per fuzzer in a longer run; {@code -Dauthfn.fuzz.seed=S} replays a seed. A failing iteration fails
 * the test with the seed and iteration number in the message.
 */
public final class Fuzz {

    public static final String SECONDS_PROPERTY = "authfn.fuzz.seconds";
    public static final String SEED_PROPERTY = "authfn.fuzz.seed";

    /** Characters that tend to break parsers: separators, padding, escapes, controls, non-ASCII. */
    private static final String NASTY = ".=+/-_%\\\"' :;,{}[]\u0000\r\n\t\u007f\u00ff\u00e9\u200b\ufeff\ud83d\ude00\ud800";
    private static final String BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private Fuzz() {}

    /** What a run did, for the test to assert it really ran. */
    public record Run(long seed, long iterations) {
    }

    /**
     * Runs {@code iteration} with one shared random until the budget is spent.
     *
     * @param name what is fuzzed, for the failure message
     * @param defaultBudget the budget when {@value #SECONDS_PROPERTY} is not set
     */
    public static Run run(String name, Duration defaultBudget, Consumer<Random> iteration) {
        return run(name, defaultBudget, 1, iteration);
    }

    /** As {@link #run(String, Duration, Consumer)}, going on past the budget until {@code minIterations} ran. */
    public static Run run(String name, Duration defaultBudget, long minIterations, Consumer<Random> iteration) {
        long seed = Long.getLong(SEED_PROPERTY, System.nanoTime() ^ Double.doubleToLongBits(Math.random()));
        Duration budget = budget(defaultBudget);
        Random random = new Random(seed);
        long deadline = System.nanoTime() + budget.toNanos();
        long i = 0;
        do {
            try {
                iteration.accept(random);
            } catch (Throwable t) {
                throw new AssertionError("fuzz " + name + " failed at iteration " + i + " with seed " + seed
                        + " (replay: -D" + SEED_PROPERTY + "=" + seed + "): " + t, t);
            }
            i++;
        } while (System.nanoTime() < deadline || i < minIterations);
        System.out.println("fuzz " + name + ": " + i + " inputs in " + budget.toSeconds() + " s, seed " + seed);
        return new Run(seed, i);
    }

    /** The configured budget: {@value #SECONDS_PROPERTY} seconds, else {@code defaultBudget}. */
    public static Duration budget(Duration defaultBudget) {
        String seconds = System.getProperty(SECONDS_PROPERTY);
        return seconds == null || seconds.isBlank() ? defaultBudget : Duration.ofSeconds(Long.parseLong(seconds.trim()));
    }

    /** A random string of up to {@code maxLength} chars, mixing base64url, nasty and arbitrary chars. */
    public static String randomString(Random random, int maxLength) {
        int length = random.nextInt(maxLength + 1);
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(randomChar(random));
        }
        return out.toString();
    }

    /** {@code valid} with one to four random edits: flips, inserts, deletions, truncation, duplication. */
    public static String mutate(Random random, String valid) {
        String s = valid;
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int at = s.isEmpty() ? 0 : random.nextInt(s.length());
            s = switch (random.nextInt(9)) {
                case 0 -> s.isEmpty() ? s : s.substring(0, at) + randomChar(random) + s.substring(at + 1);
                case 1 -> s.substring(0, at) + randomChar(random) + s.substring(at);
                case 2 -> s.isEmpty() ? s : s.substring(0, at) + s.substring(at + 1);
                case 3 -> s.substring(0, at);
                case 4 -> s.substring(at);
                case 5 -> s.substring(0, at) + s.substring(at, Math.min(s.length(), at + 1 + random.nextInt(16))) + s.substring(at);
                case 6 -> s.substring(0, at) + "." + s.substring(at);
                case 7 -> s.isEmpty() ? s : s.substring(0, at) + (char) (s.charAt(at) ^ (1 << random.nextInt(7))) + s.substring(at + 1);
                default -> s + randomString(random, 8);
            };
        }
        return s;
    }

    private static char randomChar(Random random) {
        return switch (random.nextInt(4)) {
            case 0, 1 -> BASE64URL.charAt(random.nextInt(BASE64URL.length()));
            case 2 -> NASTY.charAt(random.nextInt(NASTY.length()));
            default -> (char) random.nextInt(0x10000);
        };
    }
}
