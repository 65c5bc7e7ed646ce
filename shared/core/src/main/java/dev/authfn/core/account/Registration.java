package dev.authfn.core.account;

/** The outcome of {@link AccountStore#register}. */
public enum Registration {
    /** The user and the claim on its address were written together. */
    CREATED,
    /** A user holds the username; nothing was written. */
    USERNAME_TAKEN,
    /** Another user holds the address; nothing was written. */
    EMAIL_TAKEN
}
