package dev.authfn.core.authz;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Authentication method references (RFC 8176): how a session's user proved who they are, in the
 * order the methods were used. A session records them ({@code Session#amr}), its access tokens
 * carry them as the {@code amr} array, the authorizer context as a space-separated string, so a
 * value is a short token without whitespace.
 *
 * <p>authfn writes {@code ["pwd"]} for a password login and {@code ["pwd","otp","mfa"]} for a
 * password plus a one-time code: RFC 8176 §2 has {@code mfa} say that several factors were used,
 * and {@link Acr#of} reads exactly that. A passkey sign-in writes {@code ["hwk","user","mfa"]}
 * for a device-bound passkey and {@code ["swk","user","mfa"]} for a synced one (docs/API.md §17):
 * the key is one factor, the user verification the authenticator performed (PIN or biometric,
 * {@code user}) the other.
 */
public final class Amr {

    /** Password. */
    public static final String PWD = "pwd";
    /** One-time password (TOTP). */
    public static final String OTP = "otp";
    /** Multiple factors were used. */
    public static final String MFA = "mfa";
    /** Proof of possession of a hardware-bound key: a device-bound passkey. */
    public static final String HWK = "hwk";
    /** Proof of possession of a software-secured key: a synced passkey, copied between devices. */
    public static final String SWK = "swk";
    /** User presence and verification by the authenticator (PIN, biometric). */
    public static final String USER = "user";

    /** A password login, and what a session or token that predates {@code amr} reads as. */
    public static final List<String> PASSWORD = List.of(PWD);
    /** A password and a one-time code. */
    public static final List<String> PASSWORD_AND_OTP = List.of(PWD, OTP, MFA);
    /** A user-verified, device-bound passkey (not backup eligible). */
    public static final List<String> DEVICE_PASSKEY = List.of(HWK, USER, MFA);
    /** A user-verified, synced passkey (backup eligible). */
    public static final List<String> SYNCED_PASSKEY = List.of(SWK, USER, MFA);

    private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9_.-]{1,32}");

    private Amr() {
    }

    /**
     * The methods as an unmodifiable list in their order.
     *
     * @throws IllegalArgumentException when the list is empty, holds a value twice or a value that
     *     is not 1 to 32 letters, digits, {@code _}, {@code .} or {@code -}
     */
    public static List<String> requireValid(List<String> amr) {
        Objects.requireNonNull(amr, "amr");
        if (amr.isEmpty()) {
            throw new IllegalArgumentException("amr must name at least one method");
        }
        Set<String> seen = new HashSet<>();
        for (String method : amr) {
            if (method == null || !VALUE.matcher(method).matches()) {
                throw new IllegalArgumentException("an amr value is 1 to 32 letters, digits, '_', '.' or '-'");
            }
            if (!seen.add(method)) {
                throw new IllegalArgumentException("amr names a method twice");
            }
        }
        return List.copyOf(amr);
    }
}
