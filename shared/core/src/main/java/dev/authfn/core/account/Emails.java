package dev.authfn.core.account;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;

/**
 * The normal form of email addresses: what the users table keeps and compares, so that one
 * address is held by at most one user.
 *
 * <p>Normalisation, in order: input longer than {@value #MAX_INPUT_CHARS} chars is refused without
 * further work; Unicode NFKC over the whole address; surrounding whitespace removed; then the
 * address must be {@code local@domain} with exactly one {@code @}, no whitespace, control or
 * format character anywhere, a local part of 1 to 64 code points and a domain of 1 to 253 with at
 * least one dot, neither starting nor ending with a dot. The domain is lower-cased
 * ({@link Locale#ROOT}); the local part keeps its case (RFC 5321 §2.4 leaves it to the receiving
 * host, and many hosts ignore it, but authfn does not guess). Quoted local parts and address
 * literals are refused, and so is anything {@link dev.authfn.core.mail.MailAddresses#isAddress}
 * refuses (such as {@code , ; : < > ( ) [ ] \ "}), so every address stored can be mailed. A
 * {@link Rejected} holds the reason only, never the address.
 */
public final class Emails {

    /** RFC 5321's limit on a path, less the angle brackets. */
    public static final int MAX_LENGTH = 254;
    static final int MAX_INPUT_CHARS = 4 * MAX_LENGTH;

    private Emails() {}

    /** Why an address was refused. */
    public enum Reason {
        EMPTY,
        TOO_LONG,
        NOT_AN_ADDRESS
    }

    /** The outcome of {@link #normalize}. */
    public sealed interface Result permits Normal, Rejected {
        default Optional<String> toOptional() {
            return this instanceof Normal normal ? Optional.of(normal.address()) : Optional.empty();
        }
    }

    /** An address in normal form. */
    public record Normal(String address) implements Result {
    }

    /** A refused address; only the reason. */
    public record Rejected(Reason reason) implements Result {
    }

    public static Result normalize(String input) {
        if (input == null || input.isBlank()) {
            return new Rejected(Reason.EMPTY);
        }
        if (input.length() > MAX_INPUT_CHARS) {
            return new Rejected(Reason.TOO_LONG);
        }
        String text = Normalizer.normalize(input, Normalizer.Form.NFKC).strip();
        int at = text.indexOf('@');
        if (at <= 0 || at != text.lastIndexOf('@') || at == text.length() - 1) {
            return new Rejected(Reason.NOT_AN_ADDRESS);
        }
        String local = text.substring(0, at);
        String domain = text.substring(at + 1).toLowerCase(Locale.ROOT);
        if (!plain(local) || !plain(domain) || local.startsWith("\"") || domain.startsWith("[")
                || local.codePointCount(0, local.length()) > 64
                || domain.codePointCount(0, domain.length()) > 253
                || domain.indexOf('.') < 0 || domain.startsWith(".") || domain.endsWith(".")
                || domain.contains("..")) {
            return new Rejected(Reason.NOT_AN_ADDRESS);
        }
        String address = local + "@" + domain;
        if (address.codePointCount(0, address.length()) > MAX_LENGTH) {
            return new Rejected(Reason.TOO_LONG);
        }
        // What a mail can be sent to: no address is accepted that the mailer would refuse.
        if (!dev.authfn.core.mail.MailAddresses.isAddress(address)) {
            return new Rejected(Reason.NOT_AN_ADDRESS);
        }
        return new Normal(address);
    }

    /** No whitespace, control or format character. */
    private static boolean plain(String part) {
        return part.codePoints().noneMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c)
                || Character.getType(c) == Character.CONTROL || Character.getType(c) == Character.FORMAT);
    }
}
