package dev.authfn.core.jwt;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import dev.authfn.core.jwt.AccessTokenResult.Reason;
import dev.authfn.core.jwt.internal.KeySetKeySelector;
import java.security.Key;
import java.util.List;
import java.util.Objects;

/**
 * The key set's {@link KeySetKeySelector}, with an empty selection made a {@link KeyRejection} for
 * {@link Reason#UNKNOWN_KID} rather than left to nimbus, which would report it only by message.
 * Screening already refuses a {@code kid} naming none of our keys; what reaches here without a key
 * is a {@code kid} whose key may not verify (say, one meant for encryption) or a header asking for
 * a certificate thumbprint. nimbus asks for the key after the {@code typ} check and before the
 * signature, so that order is kept.
 */
final class AccessTokenKeySelector implements JWSKeySelector<SecurityContext> {
    private final KeySetKeySelector keys;

    AccessTokenKeySelector(KeySetKeySelector keys) {
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    @Override
    public List<Key> selectJWSKeys(JWSHeader header, SecurityContext context) throws KeyRejection {
        List<Key> selected = keys.selectJWSKeys(header, context);
        if (selected.isEmpty()) {
            throw new KeyRejection(Reason.UNKNOWN_KID, "no verifying key for the header's kid and alg");
        }
        return selected;
    }
}
