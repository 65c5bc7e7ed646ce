package dev.authfn.core.authz;

import java.util.List;

/**
 * The authentication context class (the {@code acr} claim, RFC 9068 §2.2.1; the {@code acr_values}
 * of an RFC 9470 challenge) authfn derives from a session's {@link Amr}: {@link #MFA} when the
 * methods include {@code mfa}, else {@link #SFA}. It is derived, never stored, so a session and
 * every token and context made from it always agree. Passkeys may add values later; a route
 * policy may name only {@link #KNOWN} ones, so a typo cannot lock a route forever.
 */
public final class Acr {

    /** Single-factor: a password alone. */
    public static final String SFA = "urn:authfn:acr:sfa";
    /** Multi-factor: the session's {@code amr} holds {@code mfa}. */
    public static final String MFA = "urn:authfn:acr:mfa";

    /** Every value authfn derives, weakest first. */
    public static final List<String> KNOWN = List.of(SFA, MFA);

    private Acr() {
    }

    /** The class of a session established with these methods. */
    public static String of(List<String> amr) {
        return amr.contains(Amr.MFA) ? MFA : SFA;
    }
}
