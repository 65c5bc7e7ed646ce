package dev.authfn.functions.account;

import dev.authfn.core.password.PasswordHasher;
import dev.authfn.core.password.PasswordPolicy;
import java.util.Map;
import java.util.Optional;

/** The password policy this function's environment names. */
final class Policies {

    private Policies() {
    }

    static PasswordPolicy fromEnvironment(Map<String, String> environment) {
        return new PasswordPolicy() {
            @Override
            public Optional<Rejection> checkNew(String password, String username) {
                Optional<PasswordHasher.Rejection> basic = PasswordHasher.check(password);
                if (basic.isPresent()) {
                    return Optional.of(Rejection.valueOf(basic.get().name()));
                }
                return password.codePointCount(0, password.length()) < 12 ? Optional.of(Rejection.TOO_SHORT)
                        : Optional.empty();
            }

            @Override
            public int minLength() {
                return 12;
            }
        };
    }
}
