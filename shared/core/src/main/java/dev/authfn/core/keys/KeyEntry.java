package dev.authfn.core.keys;

import com.nimbusds.jose.jwk.JWK;
import java.util.LinkedHashMap;
import java.util.Map;

/** One key of the key set as stored: the JWK with its purpose and status. */
record KeyEntry(JWK jwk, KeyPurpose purpose, KeyStatus status) {

    static final String PURPOSE_MEMBER = "purpose";
    static final String STATUS_MEMBER = "status";

    String kid() {
        return jwk.getKeyID();
    }

    KeyEntry withStatus(KeyStatus newStatus) {
        return new KeyEntry(jwk, purpose, newStatus);
    }

    /** The full private JWK plus {@code purpose} and {@code status}, as the key set JSON holds it. */
    Map<String, Object> toJsonObject() {
        Map<String, Object> json = new LinkedHashMap<>(jwk.toJSONObject());
        json.put(PURPOSE_MEMBER, purpose.wireName());
        json.put(STATUS_MEMBER, status.wireName());
        return json;
    }

    @Override
    public String toString() {
        return kid() + " (" + purpose.wireName() + ", " + status.wireName() + ")";
    }
}
