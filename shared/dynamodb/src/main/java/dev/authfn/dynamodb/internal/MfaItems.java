package dev.authfn.dynamodb.internal;

import static dev.authfn.dynamodb.internal.AttributeValues.millis;
import static dev.authfn.dynamodb.internal.AttributeValues.number;
import static dev.authfn.dynamodb.internal.AttributeValues.string;

import dev.authfn.core.mfa.MfaStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The second factor's attributes on the user item, and the spent login attempts beside the users
 * (shared/dynamodb/README.md). A user's TOTP factor lives on the user's own item, so that the
 * login reads {@link UserItems#MFA} with the user, an operator deleting the user deletes the
 * factor, and a user re-created under the name starts without one. A spent attempt is an item of
 * its own under {@code mfaattempt#<hash>}: a prefix no canonical username can have ({@code #} is
 * not allowed in one), without a {@code userId}, so no user condition or read takes it for a user.
 */
public final class MfaItems {

    /** {@link #PENDING} or {@link #CONFIRMED}; absent when the user has no factor. */
    public static final String TOTP_STATE = "totpState";
    public static final String PENDING = "pending";
    public static final String CONFIRMED = "confirmed";
    /** The secret as sealed by the caller (key id included); never the secret. */
    public static final String TOTP_SECRET = "totpSecret";
    /** The last time step used; absent while pending. */
    public static final String TOTP_LAST_STEP = "totpLastStep";
    /** Epoch milliseconds: when the factor was begun (pending) or confirmed. */
    public static final String TOTP_ENROLLED_AT = "totpEnrolledAt";
    /**
     * A string set of the hashes of the unused recovery codes (a set, so that spending one is an
     * atomic {@code DELETE}); absent when none is left, as DynamoDB removes an emptied set.
     */
    public static final String RECOVERY_CODES = "recoveryCodes";

    /**
     * How long a spent attempt stays past its {@code mfa_token}'s expiry before TTL may remove it:
     * while the token is good its attempt must be there, also for a function whose clock runs
     * behind, and a day is far beyond any skew; the items are a few bytes each.
     */
    static final Duration KEEP_AFTER_EXPIRY = Duration.ofDays(1);

    private MfaItems() {}

    public static String attemptKey(String attemptHash) {
        return "mfaattempt#" + attemptHash;
    }

    /** The item that marks {@code attempt} spent: its key and {@code expiresAt} (TTL, epoch seconds, rounded up). */
    public static Map<String, AttributeValue> spentAttempt(MfaStore.Attempt attempt) {
        Instant keepUntil = attempt.expiresAt().plus(KEEP_AFTER_EXPIRY);
        long seconds = keepUntil.getEpochSecond() + (keepUntil.getNano() > 0 ? 1 : 0);
        return Map.of(UserItems.USERNAME, string(attemptKey(attempt.attemptHash())),
                UserItems.EXPIRES_AT, number(seconds));
    }

    /** The factor on a user item; empty when the item is no user or has none. */
    public static Optional<MfaStore.TotpFactor> factor(Map<String, AttributeValue> item) {
        if (!UserItems.isUser(item) || !item.containsKey(TOTP_STATE)) {
            return Optional.empty();
        }
        AttributeValue codes = item.get(RECOVERY_CODES);
        return Optional.of(new MfaStore.TotpFactor(
                string(item, UserItems.USER_ID),
                string(item, TOTP_SECRET),
                CONFIRMED.equals(string(item, TOTP_STATE)),
                number(item, TOTP_LAST_STEP),
                codes != null && codes.hasSs() ? codes.ss().size() : 0,
                millis(item, TOTP_ENROLLED_AT)));
    }

    /** Whether the item is the user {@code userId} with a confirmed factor. */
    public static boolean hasConfirmedFactor(Map<String, AttributeValue> item, String userId) {
        return factor(item).filter(factor -> factor.confirmed() && factor.userId().equals(userId)).isPresent();
    }
}
