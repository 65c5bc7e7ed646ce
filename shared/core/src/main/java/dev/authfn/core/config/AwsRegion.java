package dev.authfn.core.config;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The AWS region a function talks to, read one way for every client (DynamoDB and Secrets Manager
 * alike): {@code AWS_REGION}, which Lambda always sets, else {@code AWS_DEFAULT_REGION}, which the
 * AWS CLI and SDKs also honour. No default: a function that guessed a region would read another
 * region's tables.
 */
public final class AwsRegion {

    public static final String ENV_REGION = "AWS_REGION";
    public static final String ENV_DEFAULT_REGION = "AWS_DEFAULT_REGION";

    private static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)+");

    private AwsRegion() {
    }

    /** The region named in {@code environment}, or empty when neither variable is set. */
    public static Optional<String> from(Map<String, String> environment) {
        String region = environment.get(ENV_REGION);
        if (region == null || region.isBlank()) {
            region = environment.get(ENV_DEFAULT_REGION);
        }
        return region == null || region.isBlank() ? Optional.empty() : Optional.of(region.strip());
    }

    /**
     * The region, required.
     *
     * @throws ConfigException when neither variable is set or the name is not a region's
     */
    public static String require(Map<String, String> environment) {
        String region = from(environment).orElseThrow(() -> new ConfigException(java.util.List.of(
                ENV_REGION + " (or " + ENV_DEFAULT_REGION + ") is required: the region of the tables and the secret")));
        if (!NAME.matcher(region).matches()) {
            throw new ConfigException(java.util.List.of(ENV_REGION + " must be a region name like us-east-1"));
        }
        return region;
    }
}
