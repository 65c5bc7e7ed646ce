package dev.authfn.password;

import dev.authfn.core.password.PasswordHasher;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * The {@link PasswordHasher}: Argon2id (version 19, Bouncy Castle's lightweight API), stored as
 * PHC strings: {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>}, salt and hash in standard
 * base64 without padding, a 16-byte salt from {@link SecureRandom} and a 32-byte hash. The
 * password is normalized to Unicode NFKC ({@link PasswordHasher#normalized}) in {@link #hash},
 * {@link #verify} and {@link #verifyDummy} alike, then encoded as UTF-8 (an unpaired surrogate is
 * refused by
 * {@link PasswordHasher#check}, because a substituted {@code ?} would make different passwords
 * hash alike).
 *
 * <p><b>Timing.</b> Input that {@link PasswordHasher#check} refuses returns false in
 * {@link #verify} and {@link #verifyDummy} without hashing: quick, but equally quick for known and
 * unknown users. A request large enough to matter is refused earlier, by the login's size limit.
 *
 * <p>Instances are immutable and thread-safe. Construction hashes nothing: the dummy that
 * {@link #verifyDummy} verifies against is a PHC string with the configured parameters, a random
 * salt and a random digest (a cold login used to pay for a second Argon2id run at init to make
 * it; docs/PERFORMANCE.md §4).
 */
public final class Argon2idHasher implements PasswordHasher {

    static final int SALT_BYTES = 16;
    static final int HASH_BYTES = 32;

    private final Argon2Params params;
    private final SecureRandom random = new SecureRandom();
    private final String dummyHash;

    /** A hasher with {@link Argon2Params#OWASP_MINIMUM}. */
    public Argon2idHasher() {
        this(Argon2Params.OWASP_MINIMUM);
    }

    /**
     * A hasher that hashes with {@code params} and asks for a rehash of anything weaker.
     *
     * @throws IllegalArgumentException when any parameter is below {@link Argon2Params#OWASP_MINIMUM}
     */
    public Argon2idHasher(Argon2Params params) {
        Objects.requireNonNull(params, "params");
        if (!params.isAtLeast(Argon2Params.OWASP_MINIMUM)) {
            throw new IllegalArgumentException(
                    "Argon2id parameters below the OWASP minimum m=19456,t=2,p=1: " + params);
        }
        this.params = params;
        this.dummyHash = new Phc(params, randomBytes(SALT_BYTES), randomBytes(HASH_BYTES)).encode();
    }

    /** The parameters new hashes get. */
    public Argon2Params params() {
        return params;
    }

    /**
     * The PHC string {@link #verifyDummy} verifies against, for the tests that it is one
     * {@link #verify} parses (and so derives in full) with this hasher's parameters.
     */
    String dummyHash() {
        return dummyHash;
    }

    /**
     * Hashes a new password with a fresh salt. Call {@link #check} first to turn a bad password
     * into a response; this method treats one as a programming error.
     *
     * @return a PHC string
     * @throws IllegalArgumentException when {@link #check} refuses the password; the message holds
     *     only the reason code
     */
    @Override
    public String hash(char[] password) {
        return hash(CharBuffer.wrap(password));
    }

    /** As {@link #hash(char[])}. */
    @Override
    public String hash(String password) {
        return hash((CharSequence) password);
    }

    private String hash(CharSequence password) {
        Optional<PasswordHasher.Rejection> rejection = PasswordHasher.check(password);
        if (rejection.isPresent()) {
            throw new IllegalArgumentException("password refused: " + rejection.get());
        }
        byte[] salt = randomBytes(SALT_BYTES);
        byte[] passwordBytes = utf8(PasswordHasher.normalized(password));
        try {
            return new Phc(params, salt, derive(passwordBytes, salt, params, HASH_BYTES)).encode();
        } finally {
            Arrays.fill(passwordBytes, (byte) 0);
        }
    }

    /**
     * Whether {@code password} matches {@code storedHash}, compared in constant time. Hashes with
     * weaker parameters verify too (then {@link #needsRehash} says to replace them).
     *
     * @return false for a wrong password, a password {@link #check} refuses, or a stored hash that
     *     is not an Argon2id v19 PHC string within {@link Argon2Params}' bounds; never throws for
     *     bad input
     */
    @Override
    public boolean verify(String password, String storedHash) {
        if (password == null || storedHash == null || PasswordHasher.check(password).isPresent()) {
            return false;
        }
        Optional<Phc> parsed = Phc.parse(storedHash);
        if (parsed.isEmpty()) {
            return false;
        }
        Phc phc = parsed.get();
        byte[] passwordBytes = utf8(PasswordHasher.normalized(password));
        try {
            byte[] candidate = derive(passwordBytes, phc.salt(), phc.params(), phc.hash().length);
            return MessageDigest.isEqual(candidate, phc.hash());
        } finally {
            Arrays.fill(passwordBytes, (byte) 0);
        }
    }

    /**
     * Costs what {@link #verify} costs against a hash with the configured parameters, and is
     * always false. Call it for an unknown username so that it cannot be told from a wrong
     * password by time.
     */
    @Override
    public boolean verifyDummy(String password) {
        // The whole derivation runs; its result is compared with 256 random bits, which no
        // password's hash equals but with probability 2^-256.
        verify(password, dummyHash);
        return false;
    }

    /**
     * Whether {@code storedHash} should be replaced by a fresh hash after a successful login:
     * true when it is not an Argon2id v19 PHC string, when any parameter is below the configured
     * ones, or when its salt or hash is shorter than this hasher makes them.
     */
    @Override
    public boolean needsRehash(String storedHash) {
        if (storedHash == null) {
            return true;
        }
        return Phc.parse(storedHash)
                .map(phc -> !phc.params().isAtLeast(params)
                        || phc.salt().length < SALT_BYTES
                        || phc.hash().length < HASH_BYTES)
                .orElse(true);
    }

    private byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] utf8(CharSequence password) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        if (encoded.hasArray()) {
            Arrays.fill(encoded.array(), (byte) 0);
        }
        return bytes;
    }

    private static byte[] derive(byte[] password, byte[] salt, Argon2Params params, int length) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(params.memoryKiB())
                .withIterations(params.iterations())
                .withParallelism(params.parallelism())
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] out = new byte[length];
        generator.generateBytes(password, out);
        return out;
    }

    /** A parsed {@code $argon2id$v=19$m=..,t=..,p=..$salt$hash} string. */
    private record Phc(Argon2Params params, byte[] salt, byte[] hash) {

        // Salt 8..64 bytes and hash 16..64 bytes, as unpadded base64.
        private static final Pattern FORMAT = Pattern.compile(
                "\\$argon2id\\$v=19\\$m=([1-9]\\d{0,8}),t=([1-9]\\d{0,8}),p=([1-9]\\d{0,8})"
                        + "\\$([A-Za-z0-9+/]{11,86})\\$([A-Za-z0-9+/]{22,86})");
        private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();

        static Optional<Phc> parse(String text) {
            Matcher matcher = FORMAT.matcher(text);
            if (!matcher.matches()) {
                return Optional.empty();
            }
            try {
                Argon2Params params = new Argon2Params(
                        Integer.parseInt(matcher.group(1)),
                        Integer.parseInt(matcher.group(2)),
                        Integer.parseInt(matcher.group(3)));
                byte[] salt = Base64.getDecoder().decode(matcher.group(4));
                byte[] hash = Base64.getDecoder().decode(matcher.group(5));
                return Optional.of(new Phc(params, salt, hash));
            } catch (IllegalArgumentException outOfBoundsOrBadBase64) {
                return Optional.empty();
            }
        }

        String encode() {
            return "$argon2id$v=19$m=" + params.memoryKiB() + ",t=" + params.iterations()
                    + ",p=" + params.parallelism() + "$" + ENCODER.encodeToString(salt)
                    + "$" + ENCODER.encodeToString(hash);
        }
    }
}
