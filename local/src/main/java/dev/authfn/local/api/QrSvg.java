package dev.authfn.local.api;

import io.nayuki.qrcodegen.QrCode;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Draws text as a QR code in SVG, for the demo page's TOTP enrolment: the page posts the
 * {@code otpauth://} URI it was given and shows the picture, so an authenticator app can scan it.
 * The code is made here with qrcodegen; the secret never goes to a third-party service. The SVG
 * holds one rectangle and one path and no script, text or link.
 */
final class QrSvg {

    /** An {@code otpauth://} URI is some 150 bytes; this leaves room for long names. */
    static final int MAX_TEXT_BYTES = 1024;

    /** The quiet zone around the code, in modules, as ISO/IEC 18004 asks. */
    static final int BORDER = 4;

    private QrSvg() {
    }

    /** The SVG of {@code text} (UTF-8), or empty when it is empty, too long or not valid UTF-8. */
    static Optional<String> render(byte[] text) {
        if (text.length == 0 || text.length > MAX_TEXT_BYTES) {
            return Optional.empty();
        }
        String decoded = new String(text, StandardCharsets.UTF_8);
        if (!java.util.Arrays.equals(decoded.getBytes(StandardCharsets.UTF_8), text)) {
            return Optional.empty();
        }
        QrCode code = QrCode.encodeText(decoded, QrCode.Ecc.MEDIUM);
        int side = code.size + 2 * BORDER;
        StringBuilder path = new StringBuilder();
        for (int y = 0; y < code.size; y++) {
            for (int x = 0; x < code.size; x++) {
                if (code.getModule(x, y)) {
                    path.append('M').append(x + BORDER).append(',').append(y + BORDER).append("h1v1h-1z");
                }
            }
        }
        return Optional.of("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + side + " " + side
                + "\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR code of the TOTP secret\">"
                + "<rect width=\"" + side + "\" height=\"" + side + "\" fill=\"#fff\"/>"
                + "<path fill=\"#000\" d=\"" + path + "\"/></svg>");
    }
}
