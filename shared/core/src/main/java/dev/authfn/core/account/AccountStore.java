package dev.authfn.core.account;

import dev.authfn.core.user.User;
import java.time.Instant;
import java.util.Optional;

/**
 * What the account flows keep beside users: the claims that make addresses unique, the mail
 * tokens (stored by hash) and the per-address mail counts. Every change that spends a token or
 * depends on a read is a conditional write. Infrastructure failures surface as
 * {@link dev.authfn.core.StoreUnavailableException}.
 */
public interface AccountStore {

    /**
     * Stores a new user and the claim on its address ({@code user.email()}, normalised, not empty):
     * the claim first, then the user. When another user holds the address, the username is still
     * taken, by a stand-in: {@code user} without the address, unverified, removed by TTL at
     * {@code standInExpiry}, so that the name answers (409 to a second sign-up, 403 unverified to
     * its password in sign-up mode {@code verified}) exactly as for a new account and the sign-up
     * does not tell which addresses are held. Both outcomes cost the same two writes.
     *
     * @return {@link Registration#CREATED}; {@link Registration#EMAIL_TAKEN} (the stand-in is
     *     stored, the holder is untouched); {@link Registration#USERNAME_TAKEN} (nothing stays
     *     written)
     * @throws IllegalArgumentException when {@code user.mfaEnrolled()}, as {@link
     *     dev.authfn.core.user.UserStore#create}
     */
    Registration register(User user, java.time.Instant standInExpiry);

    /** The user holding the address, read strongly consistently; empty when none does. */
    Optional<User> findByEmail(String email);

    /**
     * Stores a token. For {@link MailToken.Kind#RESET_PASSWORD} the user's reset generation moves
     * on in the same atomic write and the token takes the new one, so every older reset token of
     * the user stops working; {@code token.generation()} is ignored. False (nothing written) when
     * no user {@code token.username()} has the id {@code token.userId()}.
     */
    boolean issue(StoredToken token);

    /** The token stored under {@code hash}, read strongly consistently, spent or not. */
    Optional<StoredToken> token(String hash);

    /**
     * Spends a verification token and marks the user's address verified, in one atomic write,
     * conditional on the token being unspent and unexpired at {@code now} and on the user still
     * holding the id and address the token names. False when any condition fails (nothing written).
     */
    boolean verifyEmail(StoredToken token, Instant now);

    /**
     * Spends a reset token and sets the user's password hash, clears the failure count and lock,
     * moves the reset generation on and marks the address verified (the mail reached its owner),
     * in one atomic write, conditional on the token being unspent and unexpired at {@code now} and
     * on the user still having the token's id and reset generation. False when any fails.
     * Ending the user's sessions is the caller's business.
     */
    boolean resetPassword(StoredToken token, String newPasswordHash, Instant now);

    /**
     * Counts a mail to an address in the current hour; false (nothing counted) when {@code limit}
     * mails were already counted this hour. {@code key} names the address and mail kind.
     */
    boolean countMail(String key, Instant now, int limit);
}
