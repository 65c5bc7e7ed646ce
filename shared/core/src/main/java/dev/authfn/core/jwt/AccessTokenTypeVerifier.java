package dev.authfn.core.jwt;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.proc.JOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import dev.authfn.core.jwt.AccessTokenResult.Reason;

/**
 * Accepts only {@code typ} {@link AccessTokenClaims#TYPE}, so an ID token or any other JWT signed
 * with our keys is not taken for an access token. Letter case is ignored, as {@link JOSEObjectType}
 * compares (media type names are case-insensitive); {@code application/at+jwt} and a missing
 * {@code typ} are refused. A refusal is a {@link HeaderRejection} for {@link Reason#WRONG_TYP}.
 */
final class AccessTokenTypeVerifier implements JOSEObjectTypeVerifier<SecurityContext> {

    @Override
    public void verify(JOSEObjectType type, SecurityContext context) throws HeaderRejection {
        if (type == null) {
            throw new HeaderRejection(Reason.WRONG_TYP, "no typ");
        }
        if (!AccessTokenClaims.TYPE.equals(type)) {
            throw new HeaderRejection(Reason.WRONG_TYP, "typ is not " + AccessTokenClaims.TYPE);
        }
    }
}
