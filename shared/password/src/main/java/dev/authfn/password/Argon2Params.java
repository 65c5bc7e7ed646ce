package dev.authfn.password;

/**
 * Argon2id cost parameters: memory in KiB, passes over memory, and lanes.
 *
 * <p>Any value within the bounds below can be represented, so hashes made with weaker settings
 * can still be read and verified once (and then rehashed, see
 * {@link PasswordHasher#needsRehash(String)}). The upper bounds stop a tampered or foreign
 * stored hash from making one verification exhaust a function's memory or time.
 *
 * @param memoryKiB memory cost m in KiB, at least {@code 8 * parallelism} (the Argon2 minimum)
 * @param iterations time cost t, the number of passes
 * @param parallelism lanes p
 */
public record Argon2Params(int memoryKiB, int iterations, int parallelism) {

    /**
     * OWASP Password Storage Cheat Sheet's first Argon2id configuration: m=19 MiB, t=2, p=1. The
     * default, and the floor for hashing new passwords.
     */
    public static final Argon2Params OWASP_MINIMUM = new Argon2Params(19_456, 2, 1);

    /** 1 GiB: more than a Lambda function should spend on one password. */
    public static final int MAX_MEMORY_KIB = 1 << 20;
    public static final int MAX_ITERATIONS = 64;
    public static final int MAX_PARALLELISM = 16;

    public Argon2Params {
        if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
            throw new IllegalArgumentException("parallelism must be 1.." + MAX_PARALLELISM);
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iterations must be 1.." + MAX_ITERATIONS);
        }
        if (memoryKiB < 8 * parallelism || memoryKiB > MAX_MEMORY_KIB) {
            throw new IllegalArgumentException(
                    "memoryKiB must be 8 * parallelism.." + MAX_MEMORY_KIB);
        }
    }

    /** True when every parameter is at least the other's, so this costs no less to attack. */
    public boolean isAtLeast(Argon2Params other) {
        return memoryKiB >= other.memoryKiB
                && iterations >= other.iterations
                && parallelism >= other.parallelism;
    }
}
