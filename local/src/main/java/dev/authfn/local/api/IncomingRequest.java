package dev.authfn.local.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An HTTP request as the local server received it, before API Gateway's processing.
 *
 * @param method         the request method, as sent
 * @param path           the URL path, percent-decoded (HTTP APIs hand functions the decoded path)
 * @param rawQueryString the query string as sent, without {@code ?}; empty when there is none
 * @param headers        header names as sent, each with its values in arrival order; names are
 *                       compared without regard to case
 * @param body           the body bytes, empty when there is none
 * @param sourceIp       the client's address
 * @param serverPort     the port the request came in on
 */
public record IncomingRequest(
        String method,
        String path,
        String rawQueryString,
        Map<String, List<String>> headers,
        byte[] body,
        String sourceIp,
        int serverPort) {

    public IncomingRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        rawQueryString = rawQueryString == null ? "" : rawQueryString;
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(sourceIp, "sourceIp");
    }

    /** Never shows headers or body: they carry cookies and credentials. */
    @Override
    public String toString() {
        return "IncomingRequest[" + method + " " + path + "]";
    }
}
