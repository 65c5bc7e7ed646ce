package dev.authfn.core.mfa;

import dev.authfn.core.internal.Base64Url;
import dev.authfn.core.keys.KeySet;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals small secrets at rest (the TOTP secret) with AES-256-GCM under a subkey of the key set's
 * mfa key: {@code HKDF-Expand(mfa key, "authfn/mfa/totp-secret/v1")}, never the key itself. Each
 * seal draws a fresh 96-bit IV from {@link SecureRandom} (NIST SP 800-38D allows 2^32 random IVs
 * per key, far beyond one per enrolment) and a 128-bit tag; the sealed value names the kid of the
 * key that sealed it, so that after the mfa key rotates a verify-only key still opens what it
 * sealed, and nobody re-enrols. The associated data (the user id) is authenticated, not stored:
 * a sealed secret copied to another user's record does not open there.
 *
 * <p>Everything {@link #open} is handed may have been written by someone else; it answers empty,
 * never an exception, for any of it.
 */
public final class SecretBox {

    /** The HKDF info of this use; a new version of the format gets a new info, so a new key. */
    static final String INFO = "authfn/mfa/totp-secret/v1";
    /** Longest plaintext sealed; a TOTP secret is 20 bytes. */
    public static final int MAX_PLAINTEXT_BYTES = 512;
    static final int IV_BYTES = 12;
    static final int TAG_BYTES = 16;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";

    private final MfaSubkeys keys;
    private final SecureRandom random;

    /**
     * Derives a subkey for every active and verify-only mfa key of {@code keySet}. A key set
     * without an active mfa key still opens what its verify-only keys sealed, but seals nothing.
     *
     * @throws IllegalArgumentException when an mfa kid is not 1-64 characters of [A-Za-z0-9_-]
     */
    public SecretBox(KeySet keySet, SecureRandom random) {
        this.keys = new MfaSubkeys(keySet, INFO, "AES");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Seals {@code plaintext} under the active mfa key, binding it to {@code associatedData}.
     *
     * @throws IllegalStateException when the key set has no active mfa key
     * @throws IllegalArgumentException when the plaintext is longer than {@value #MAX_PLAINTEXT_BYTES} bytes
     */
    public Sealed seal(byte[] plaintext, String associatedData) {
        Objects.requireNonNull(associatedData, "associatedData");
        if (plaintext.length > MAX_PLAINTEXT_BYTES) {
            throw new IllegalArgumentException("at most " + MAX_PLAINTEXT_BYTES + " bytes are sealed");
        }
        String kid = keys.activeKid();
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, keys.subkey(kid).orElseThrow(), iv, associatedData);
            byte[] sealed = Arrays.copyOf(iv, IV_BYTES + plaintext.length + TAG_BYTES);
            cipher.doFinal(plaintext, 0, plaintext.length, sealed, IV_BYTES);
            return new Sealed(kid, sealed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed to seal", e);
        }
    }

    /**
     * The plaintext of {@code sealed}, when a key of its kid is active or verify-only, its tag is
     * right and it was sealed for {@code associatedData}; empty otherwise (unknown or retired kid,
     * any byte changed, another user's secret, nulls).
     */
    public Optional<byte[]> open(Sealed sealed, String associatedData) {
        if (sealed == null || associatedData == null) {
            return Optional.empty();
        }
        Optional<SecretKeySpec> key = keys.subkey(sealed.kid);
        if (key.isEmpty()) {
            return Optional.empty();
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, key.get(), Arrays.copyOf(sealed.bytes, IV_BYTES), associatedData);
            return Optional.of(cipher.doFinal(sealed.bytes, IV_BYTES, sealed.bytes.length - IV_BYTES));
        } catch (AEADBadTagException e) {
            return Optional.empty();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed to open", e);
        }
    }

    private static Cipher cipher(int mode, SecretKeySpec key, byte[] iv, String associatedData)
            throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance(TRANSFORMATION);
        cipher.init(mode, key, new GCMParameterSpec(TAG_BYTES * Byte.SIZE, iv));
        cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    /**
     * A sealed secret: the kid of the key that sealed it, and IV, ciphertext and tag. Its storage
     * form is {@code v1.<kid>.<base64url(iv || ciphertext || tag)>}, read back strictly by
     * {@link #parse}. Not secret (nothing opens it without the key), but {@code toString} shows
     * only the kid: there is nothing to read in the rest.
     */
    public static final class Sealed {

        private static final String VERSION = "v1.";
        private static final int MIN_BYTES = IV_BYTES + TAG_BYTES;
        private static final int MAX_BYTES = MIN_BYTES + MAX_PLAINTEXT_BYTES;
        /** The longest storage form; longer text is refused unread. */
        public static final int MAX_LENGTH =
                VERSION.length() + MfaSubkeys.MAX_KID_LENGTH + 1 + Base64Url.encodedLength(MAX_BYTES);

        private final String kid;
        private final byte[] bytes;

        private Sealed(String kid, byte[] bytes) {
            this.kid = kid;
            this.bytes = bytes;
        }

        /**
         * Reads a storage form: the version {@code v1}, a kid of 1-64 characters of [A-Za-z0-9_-],
         * and canonical unpadded base64url of at least IV and tag. Anything else is empty; never
         * throws.
         */
        public static Optional<Sealed> parse(String stored) {
            if (stored == null || stored.length() > MAX_LENGTH || !stored.startsWith(VERSION)) {
                return Optional.empty();
            }
            // base64url has no dot, so the last one ends the kid; a kid with a dot is then refused.
            int from = stored.lastIndexOf('.') + 1;
            if (from <= VERSION.length()) {
                return Optional.empty();
            }
            String kid = stored.substring(VERSION.length(), from - 1);
            if (!MfaSubkeys.isUsableKid(kid) || !Base64Url.isCanonical(stored, from, stored.length())) {
                return Optional.empty();
            }
            byte[] bytes = Base64.getUrlDecoder().decode(stored.substring(from));
            return bytes.length < MIN_BYTES ? Optional.empty() : Optional.of(new Sealed(kid, bytes));
        }

        /** The kid of the mfa key that sealed it. */
        public String kid() {
            return kid;
        }

        /** The storage form, which {@link #parse} reads back. */
        public String encoded() {
            return VERSION + kid + '.' + Base64Url.encode(bytes);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Sealed that && kid.equals(that.kid) && Arrays.equals(bytes, that.bytes);
        }

        @Override
        public int hashCode() {
            return Objects.hash(kid, Arrays.hashCode(bytes));
        }

        @Override
        public String toString() {
            return "Sealed[kid=" + kid + "]";
        }
    }
}
