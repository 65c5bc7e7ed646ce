package dev.authfn.local;

/** The fixed identity of the pretend AWS account a local run lives in, the same values {@code sam local} uses. */
public final class LocalAws {

    public static final String REGION = "us-east-1";
    public static final String ACCOUNT_ID = "123456789012";
    public static final String PARTITION = "aws";
    public static final String URL_SUFFIX = "amazonaws.com";
    public static final String STACK_NAME = "authfn-local";
    /** The HTTP API's id in events ({@code requestContext.apiId}, route ARNs). */
    public static final String API_ID = "1234567890";

    private LocalAws() {
    }
}
