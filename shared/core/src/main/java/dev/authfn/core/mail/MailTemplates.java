package dev.authfn.core.mail;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The account mails, each as plain text and HTML. Tokens travel in the URL fragment of a link to
 * {@code linkBase} ({@code <linkBase>#verify=<token>}, {@code <linkBase>#reset=<token>}): a
 * browser never sends the fragment, so the token reaches no server log, proxy or
 * {@code Referer}; the page at {@code linkBase} reads it and posts it. Subjects hold no token.
 * Everything interpolated into the HTML is escaped.
 */
public final class MailTemplates {

    /**
     * A token fit for a fragment as it is: URI-unreserved characters only (base64url, and the dot
     * of an {@code id.secret} token), so no encoding can change it on its way to the page.
     */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~-]{16,512}");

    private final String siteName;
    private final String linkBase;

    /**
     * @param siteName how the mails name the service ("Example"), one line
     * @param linkBase the page that posts the tokens: an absolute http(s) URI without a fragment
     */
    public MailTemplates(String siteName, URI linkBase) {
        Objects.requireNonNull(siteName, "siteName");
        Objects.requireNonNull(linkBase, "linkBase");
        if (siteName.isBlank() || MailAddresses.hasControlCharacter(siteName) || siteName.length() > 100) {
            throw new IllegalArgumentException("the site name is one non-blank line of at most 100 characters");
        }
        if (!linkBase.isAbsolute() || linkBase.getHost() == null
                || !("https".equals(linkBase.getScheme()) || "http".equals(linkBase.getScheme()))) {
            throw new IllegalArgumentException("the link base must be an absolute http(s) URI: " + linkBase);
        }
        if (linkBase.getRawFragment() != null) {
            throw new IllegalArgumentException("the link base must have no fragment (the token goes there): " + linkBase);
        }
        this.siteName = siteName.strip();
        this.linkBase = linkBase.toASCIIString();
    }

    /** The mail that confirms an address: a link carrying the verification token. */
    public Mail verifyEmail(String to, String username, String token, Duration validFor) {
        String link = link("verify", token);
        String expiry = humanDuration(validFor);
        return new Mail(to, "Confirm your email address for " + siteName,
                text("Hello " + oneLine(username) + ",",
                        "To confirm this address for your " + siteName + " account, open this link:",
                        link,
                        "The link works once, within " + expiry + ".",
                        "If you did not sign up for " + siteName + ", ignore this mail: without the link, "
                                + "nothing happens."),
                html("Confirm your email address for " + siteName,
                        paragraph("Hello " + oneLine(username) + ","),
                        paragraph("To confirm this address for your " + siteName + " account, open this link:"),
                        anchor(link, "Confirm my email address"),
                        paragraph("The link works once, within " + expiry + "."),
                        paragraph("If you did not sign up for " + siteName + ", ignore this mail: without the link, "
                                + "nothing happens.")));
    }

    /** The mail that resets a forgotten password: a link carrying the reset token. */
    public Mail resetPassword(String to, String username, String token, Duration validFor) {
        String link = link("reset", token);
        String expiry = humanDuration(validFor);
        return new Mail(to, "Reset your " + siteName + " password",
                text("Hello " + oneLine(username) + ",",
                        "Someone asked to reset the password of your " + siteName + " account. To choose a new "
                                + "password, open this link:",
                        link,
                        "The link works once, within " + expiry + ". Resetting ends every session of the account.",
                        "If you did not ask for this, ignore this mail: your password stays as it is."),
                html("Reset your " + siteName + " password",
                        paragraph("Hello " + oneLine(username) + ","),
                        paragraph("Someone asked to reset the password of your " + siteName + " account. To choose a "
                                + "new password, open this link:"),
                        anchor(link, "Choose a new password"),
                        paragraph("The link works once, within " + expiry + ". Resetting ends every session of the "
                                + "account."),
                        paragraph("If you did not ask for this, ignore this mail: your password stays as it is.")));
    }

    /**
     * The mail to an address someone tried to register again. It carries no token and nothing to
     * click but the site itself: the registration answered as if it succeeded, so only the owner
     * of the address learns of the attempt.
     */
    public Mail registrationAttempt(String to) {
        return new Mail(to, "Sign-up attempt at " + siteName,
                text("Hello,",
                        "Someone tried to sign up for " + siteName + " with this email address. It already belongs "
                                + "to an account, so no new account was made and nothing changed.",
                        "If this was you, you already have an account: use forgot password on the sign-in page "
                                + "to choose a new password.",
                        linkBase,
                        "If it was not you, ignore this mail."),
                html("Sign-up attempt at " + siteName,
                        paragraph("Hello,"),
                        paragraph("Someone tried to sign up for " + siteName + " with this email address. It already "
                                + "belongs to an account, so no new account was made and nothing changed."),
                        paragraph("If this was you, you already have an account: use forgot password on the "
                                + "sign-in page to choose a new password."),
                        anchor(linkBase, siteName),
                        paragraph("If it was not you, ignore this mail.")));
    }

    /** The notice after a password reset or change. */
    public Mail passwordChanged(String to, String username) {
        return new Mail(to, "Your " + siteName + " password was changed",
                text("Hello " + oneLine(username) + ",",
                        "The password of your " + siteName + " account was changed, and its other sessions ended.",
                        "If this was you, there is nothing more to do.",
                        "If it was not you, someone else may know your password or control this mailbox: use "
                                + "forgot password on the sign-in page now to choose a new one.",
                        linkBase),
                html("Your " + siteName + " password was changed",
                        paragraph("Hello " + oneLine(username) + ","),
                        paragraph("The password of your " + siteName + " account was changed, and its other sessions "
                                + "ended."),
                        paragraph("If this was you, there is nothing more to do."),
                        paragraph("If it was not you, someone else may know your password or control this mailbox: "
                                + "use forgot password on the sign-in page now to choose a new one."),
                        anchor(linkBase, siteName)));
    }

    /**
     * {@code duration} as a person says it: whole days from two days up, else whole hours, else
     * whole minutes, else seconds ("24 hours", "30 minutes", "1 hour", "90 seconds").
     */
    static String humanDuration(Duration duration) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("a validity is a positive duration");
        }
        long seconds = duration.toSeconds();
        if (duration.toNanosPart() != 0 || seconds % 60 != 0) {
            return count(Math.max(seconds, 1), "second");
        }
        long minutes = seconds / 60;
        if (minutes % 60 != 0) {
            return count(minutes, "minute");
        }
        long hours = minutes / 60;
        if (hours % 24 == 0 && hours >= 48) {
            return count(hours / 24, "day");
        }
        return count(hours, "hour");
    }

    private static String count(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }

    private String link(String kind, String token) {
        if (token == null || !TOKEN.matcher(token).matches()) {
            // The token itself stays out of the message.
            throw new IllegalArgumentException("a mail token is 16 to 512 URI-unreserved characters (A-Z a-z 0-9 . _ ~ -)");
        }
        return linkBase + "#" + kind + "=" + token;
    }

    /** A username as one line: control characters (none in a canonical name) become spaces. */
    private static String oneLine(String value) {
        Objects.requireNonNull(value, "username");
        return value.codePoints().map(c -> Character.isISOControl(c) ? ' ' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    private static String text(String... paragraphs) {
        return String.join("\n\n", paragraphs) + "\n\n-- \nThis mail was sent automatically; replies are not read.\n";
    }

    private static String html(String title, String... blocks) {
        StringBuilder out = new StringBuilder(1024);
        out.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").append(escape(title))
                .append("</title></head>\n<body style=\"font-family: sans-serif; line-height: 1.5\">\n");
        for (String block : blocks) {
            out.append(block).append('\n');
        }
        return out.append("<p style=\"color: #666\">This mail was sent automatically; replies are not read.</p>\n")
                .append("</body></html>\n").toString();
    }

    private static String paragraph(String text) {
        return "<p>" + escape(text) + "</p>";
    }

    /** A link, with the URL also shown as text for mail clients that hide where a link goes. */
    private static String anchor(String href, String label) {
        return "<p><a href=\"" + escape(href) + "\">" + escape(label) + "</a></p>\n<p style=\"word-break: break-all\">"
                + escape(href) + "</p>";
    }

    /** HTML text and attribute values alike: the five characters that matter, escaped. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
