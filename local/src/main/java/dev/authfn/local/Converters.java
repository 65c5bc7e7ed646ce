package dev.authfn.local;

import dev.authfn.core.oauth.OAuthClient;
import dev.authfn.core.user.Usernames;
import java.net.URI;
import java.util.Optional;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** The option values the commands share, checked as they are parsed: a bad one is a usage error. */
final class Converters {

    private Converters() {
    }

    /** A TCP port, 0 (any free one) to 65535. */
    static final class Port implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            try {
                int port = Integer.parseInt(value);
                if (port >= 0 && port <= 65535) {
                    return port;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new TypeConversionException("must be a number from 0 to 65535, got " + value);
        }
    }

    /** An http(s) URL with a host: a DynamoDB API. */
    static final class Endpoint implements ITypeConverter<URI> {
        @Override
        public URI convert(String value) {
            return endpoint(value).orElseThrow(() -> new TypeConversionException("must be an http(s) URL, got " + value));
        }
    }

    /** {@code memory} or {@code dynamodb}. */
    static final class Store implements ITypeConverter<LocalStore> {
        @Override
        public LocalStore convert(String value) {
            return switch (value) {
                case "memory" -> LocalStore.MEMORY;
                case "dynamodb" -> LocalStore.DYNAMODB;
                default -> throw new TypeConversionException("must be memory or dynamodb, got " + value);
            };
        }
    }

    /** A user name, canonicalised (lower case) as the login does it. */
    static final class UserName implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            return Usernames.canonicalize(value).toOptional().orElseThrow(() -> new TypeConversionException(
                    "not a valid user name: letters, digits and ._@+- , 1 to 64 characters"));
        }
    }

    /** A role or permission name. */
    static final class AccessName implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (!value.matches("[A-Za-z0-9:._/-]{1,64}")) {
                throw new TypeConversionException(value + ": use 1-64 of letters, digits and :._/-");
            }
            return value;
        }
    }

    /** An OAuth client id ({@link OAuthClient#CLIENT_ID}). */
    static final class ClientId implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (!OAuthClient.CLIENT_ID.matcher(value).matches()) {
                throw new TypeConversionException("not a valid client id: 1 to 64 letters, digits and ._- , starting "
                        + "with a letter or digit");
            }
            return value;
        }
    }

    /** The URL when {@code value} is an http(s) URL with a host; also for the same value from the environment. */
    static Optional<URI> endpoint(String value) {
        try {
            URI uri = URI.create(value);
            if (uri.getScheme() != null && (uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    && uri.getHost() != null) {
                return Optional.of(uri);
            }
        } catch (IllegalArgumentException e) {
            // not a URL
        }
        return Optional.empty();
    }
}
