package dev.authfn.core.mfa;

import dev.authfn.core.internal.Base64Url;
import java.security.SecureRandom;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.codec.binary.Base32;

/**
 * The single-use codes that stand in for the authenticator when it is lost: {@value #COUNT} of
 * them, each 128 random bits written as {@value #LENGTH} characters of lower-case base32 (RFC 4648,
 * {@code a-z 2-7}: no {@code 0/o} or {@code 1/l} to confuse) in groups of five,
 * {@code xxxxx-xxxxx-xxxxx-xxxxx-xxxxx-x}. They are shown once; the server keeps only
 * {@link #hash}es, each spent by its first use.
 *
 * <p>A plain SHA-256 is enough here, as for session secrets: with 128 random bits there is no
 * dictionary to try, so a slow password hash would buy nothing.
 */
public final class RecoveryCodes {

    public static final int COUNT = 10;
    static final int BYTES = 16;
    /** Characters of a normalised code: 128 bits at 5 bits a character, the last one carrying 3. */
    public static final int LENGTH = 26;
    private static final int GROUP = 5;
    private static final Base32 BASE32 = new Base32();

    /** Freshly generated codes, to show once, and their hashes, to store. {@code toString} shows neither. */
    public record Generated(List<String> codes, Set<String> hashes) {
        public Generated {
            codes = List.copyOf(codes);
            hashes = Set.copyOf(hashes);
        }

        @Override
        public String toString() {
            return "RecoveryCodes.Generated[" + codes.size() + " codes, <redacted>]";
        }
    }

    private RecoveryCodes() {
    }

    /** {@value #COUNT} distinct codes from the given CSPRNG, grouped for display, with their hashes. */
    public static Generated generate(SecureRandom random) {
        Set<String> normalised = new LinkedHashSet<>();
        while (normalised.size() < COUNT) {
            byte[] bytes = new byte[BYTES];
            random.nextBytes(bytes);
            // 16 bytes are 26 base32 characters and 6 of padding, which is dropped.
            normalised.add(BASE32.encodeToString(bytes).substring(0, LENGTH).toLowerCase(Locale.ROOT));
        }
        return new Generated(
                normalised.stream().map(RecoveryCodes::grouped).toList(),
                Set.copyOf(normalised.stream().map(RecoveryCodes::hash).toList()));
    }

    /**
     * A code as typed, in the one form that is hashed: spaces and hyphens removed, lower case.
     * Empty unless exactly {@value #LENGTH} base32 characters are left (upper case is taken,
     * any other character, ASCII or not, is not). Never throws.
     */
    public static Optional<String> normalize(String input) {
        if (input == null || input.length() > 4 * LENGTH) {
            return Optional.empty();
        }
        StringBuilder code = new StringBuilder(LENGTH);
        for (int i = 0; i < input.length(); i++) {
            char c = input.charAt(i);
            if (c == ' ' || c == '-') {
                continue;
            }
            // ASCII only, before any case mapping: Unicode lower-cases the Kelvin sign to 'k'.
            if (c >= 0x80 || !BASE32.isInAlphabet((byte) c)) {
                return Optional.empty();
            }
            code.append(Character.toLowerCase(c));
        }
        return code.length() == LENGTH ? Optional.of(code.toString()) : Optional.empty();
    }

    /**
     * base64url(SHA-256(code)) of a normalised code, what the server stores.
     *
     * @throws IllegalArgumentException when {@code normalised} is not what {@link #normalize}
     *     returns: a code hashed as typed would never match
     */
    public static String hash(String normalised) {
        if (!normalize(normalised).equals(Optional.of(normalised))) {
            throw new IllegalArgumentException("not a normalised recovery code");
        }
        return Base64Url.sha256(normalised);
    }

    private static String grouped(String code) {
        StringBuilder out = new StringBuilder(LENGTH + LENGTH / GROUP);
        for (int i = 0; i < LENGTH; i++) {
            if (i > 0 && i % GROUP == 0) {
                out.append('-');
            }
            out.append(code.charAt(i));
        }
        return out.toString();
    }
}
