package dev.authfn.core.mfa;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Objects;
import org.apache.commons.codec.binary.Base32;

/**
 * The shared secret of one TOTP factor: {@value #BYTES} random bytes (160 bits, the length RFC 4226
 * section 4 asks for and the length of an HMAC-SHA1 output). It leaves the server once, at
 * enrolment, as {@link #base32()} and {@link #otpauthUri}; at rest it is only ever sealed
 * ({@link SecretBox}). {@code toString} never shows it.
 */
public final class TotpSecret {

    public static final int BYTES = 20;
    /** RFC 4648 base32, upper case, as authenticator apps show and take it; 20 bytes need no padding. */
    private static final Base32 BASE32 = new Base32();

    private final byte[] bytes;

    private TotpSecret(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A fresh secret from the given CSPRNG. */
    public static TotpSecret generate(SecureRandom random) {
        byte[] bytes = new byte[BYTES];
        random.nextBytes(bytes);
        return new TotpSecret(bytes);
    }

    /**
     * A secret from its bytes, e.g. as {@link SecretBox#open} gave them back; the array is copied.
     *
     * @throws IllegalArgumentException unless there are exactly {@value #BYTES} bytes
     */
    public static TotpSecret of(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException("a TOTP secret has " + BYTES + " bytes");
        }
        return new TotpSecret(bytes.clone());
    }

    /** A copy of the secret's bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The secret as authenticator apps take it typed in: 32 characters of A-Z and 2-7, unpadded. */
    public String base32() {
        return BASE32.encodeToString(bytes);
    }

    /**
     * The key URI authenticator apps read from a QR code (Google Authenticator's "Key Uri Format"):
     * {@code otpauth://totp/<issuer>:<account>?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30}.
     * Issuer and account are percent-encoded as UTF-8 (RFC 3986: a space is {@code %20}, never
     * {@code +}). The issuer is repeated as a parameter, which the apps prefer over the label's.
     *
     * @throws IllegalArgumentException when either is blank or holds a colon: the apps split the
     *     label at the first colon (canonical usernames never hold one)
     */
    public String otpauthUri(String issuer, String accountName) {
        String encodedIssuer = encode(requireLabelPart(issuer, "issuer"));
        return "otpauth://totp/" + encodedIssuer + ':' + encode(requireLabelPart(accountName, "account name"))
                + "?secret=" + base32() + "&issuer=" + encodedIssuer
                + "&algorithm=SHA1&digits=" + Totp.DIGITS + "&period=" + Totp.STEP.toSeconds();
    }

    private static String requireLabelPart(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isBlank() || value.indexOf(':') >= 0) {
            throw new IllegalArgumentException("the " + what + " of a TOTP key URI must not be blank or hold a colon");
        }
        return value;
    }

    /**
     * RFC 3986 percent-encoding of UTF-8. {@link URLEncoder} is form encoding: it writes a space as
     * {@code +} (a literal {@code +} it writes as {@code %2B}, so the replacement is exact) and
     * leaves only {@code A-Z a-z 0-9 . - * _} as they are, all of which may stand in a path segment
     * and a query.
     */
    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public String toString() {
        return "TotpSecret[<redacted>]";
    }
}
