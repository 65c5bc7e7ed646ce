package dev.authfn.core.mail;

import java.util.regex.Pattern;

/**
 * The shape of a mail address as authfn accepts one: {@code local@domain}, one {@code @}, no
 * whitespace, control characters, angle brackets, quotes or commas, a dot-separated domain. It
 * is a sanity check that keeps header injection and address lists out, not RFC 5322: the mail
 * service has the last word on deliverability.
 */
public final class MailAddresses {

    /** RFC 5321's limit on a forward path. */
    public static final int MAX_LENGTH = 254;

    private static final Pattern ADDRESS = Pattern.compile(
            "[^\\s@<>()\\[\\]\\\\,;:\"\\p{Cntrl}]{1,64}@[^\\s@<>()\\[\\]\\\\,;:\"\\p{Cntrl}.]+(\\.[^\\s@<>()\\[\\]\\\\,;:\"\\p{Cntrl}.]+)+");

    private MailAddresses() {
    }

    /** True when {@code address} is a single {@code local@domain} address as described above. */
    public static boolean isAddress(String address) {
        return address != null && address.length() <= MAX_LENGTH && ADDRESS.matcher(address).matches();
    }

    static boolean hasControlCharacter(String text) {
        return text.codePoints().anyMatch(Character::isISOControl);
    }

    /** {@code text} fit for an error message: control characters shown as {@code ?}, at most 64 characters. */
    static String printable(String text) {
        String shown = text.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return shown.length() > 64 ? shown.substring(0, 64) + "…" : shown;
    }
}
