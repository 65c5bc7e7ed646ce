package dev.authfn.password.policy;

import com.nulabinc.zxcvbn.StandardDictionaries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The offline list: the most common passwords of zxcvbn4j's {@code passwords} dictionary
 * (30,000 entries, lower case, ranked by frequency in leaked corpora), of which only those of at
 * least the minimum length are kept, since a shorter password is refused anyway (229 of them at
 * the default 12 code points). Compared ignoring case, as zxcvbn does: {@code Password1234} is as
 * common as {@code password1234}. Figures in docs/PERFORMANCE.md ("The new-password policy").
 */
final class CommonPasswords {

    private final Set<String> entries;

    private CommonPasswords(Set<String> entries) {
        this.entries = entries;
    }

    /** zxcvbn4j's list, cut to entries of at least {@code minLength} code points in NFKC. */
    static CommonPasswords zxcvbn(int minLength) {
        List<String> frequencies;
        try {
            frequencies = StandardDictionaries.PASSWORDS_LOADER.load().getFrequencies();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read zxcvbn4j's passwords dictionary", e);
        }
        return of(frequencies, minLength);
    }

    /** {@code candidates}, folded as {@link #contains} folds, cut to {@code minLength} code points. */
    static CommonPasswords of(List<String> candidates, int minLength) {
        Set<String> kept = new HashSet<>();
        for (String candidate : candidates) {
            String folded = fold(candidate);
            if (folded.codePointCount(0, folded.length()) >= minLength) {
                kept.add(folded);
            }
        }
        return new CommonPasswords(Set.copyOf(kept));
    }

    /** Whether {@code normalized} (a password in NFKC) is on the list, ignoring case. */
    boolean contains(String normalized) {
        return entries.contains(fold(normalized));
    }

    /** How many entries were kept. */
    int size() {
        return entries.size();
    }

    private static String fold(String text) {
        return text.toLowerCase(Locale.ROOT);
    }
}
