package dev.authfn.ses;

import dev.authfn.core.config.AwsRegion;
import dev.authfn.core.config.ConfigException;
import dev.authfn.core.mail.Mail;
import dev.authfn.core.mail.MailAddresses;
import dev.authfn.core.mail.MailUnavailableException;
import dev.authfn.core.mail.Mailer;
import java.net.IDN;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.SesV2ClientBuilder;
import software.amazon.awssdk.services.sesv2.model.Body;
import software.amazon.awssdk.services.sesv2.model.Content;
import software.amazon.awssdk.services.sesv2.model.SendEmailRequest;

/**
 * The {@link Mailer} of the mailer function: one SES v2 {@code SendEmail} per mail, Simple
 * content with a text and an HTML part, UTF-8. The client is built with the instance (at the
 * function's init, so SnapStart snapshots it), on the small URL-connection HTTP client with
 * bounded timeouts: an unreachable SES fails within {@link #API_CALL_TIMEOUT}. An SDK failure
 * becomes a {@link MailUnavailableException} naming the operation and SES's error code, never the
 * mail's bodies.
 *
 * <p>Configuration, from the function's environment: {@value #ENV_FROM} (required: an address, or
 * {@code Name <address>}), {@value #ENV_CONFIGURATION_SET} (optional), {@value #ENV_ENDPOINT}
 * (local and tests only: moto, LocalStack), the region as every authfn client reads it
 * ({@code AWS_REGION}, else {@code AWS_DEFAULT_REGION}), and credentials from
 * {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}/{@code AWS_SESSION_TOKEN} in that
 * environment, else the SDK's default chain (SnapStart's container credentials).
 */
public final class SesMailer implements Mailer, AutoCloseable {

    public static final String ENV_FROM = "AUTHFN_MAIL_FROM";
    public static final String ENV_CONFIGURATION_SET = "AUTHFN_SES_CONFIGURATION_SET";
    public static final String ENV_ENDPOINT = "AUTHFN_SES_ENDPOINT";

    public static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(3);
    /** The whole call, all attempts and back-off included. */
    public static final Duration API_CALL_TIMEOUT = Duration.ofSeconds(5);
    /** The first try and two retries (throttling and 5xx). */
    public static final int MAX_ATTEMPTS = 3;

    /** {@code Display Name <address>}: no quote, backslash, angle bracket or control character in the name. */
    private static final Pattern NAMED = Pattern.compile("([^<>\"\\\\\\p{Cntrl}]*[^<>\"\\\\\\s\\p{Cntrl}])\\s*<([^<>]+)>");
    /** {@code "Display Name" <address>}, the form a name with specials is sent in. */
    private static final Pattern QUOTED = Pattern.compile("\"([^\"\\\\\\p{Cntrl}]*)\"\\s*<([^<>]+)>");
    /** RFC 5322's specials: a display name holding one is sent quoted. */
    private static final Pattern SPECIALS = Pattern.compile("[()<>\\[\\]:;@\\\\,.\"]");
    /** SES's configuration set names: letters, digits, _ and -, at most 64. */
    private static final Pattern CONFIGURATION_SET = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final SesV2Client client;
    private final String from;
    private final Optional<String> configurationSet;

    /**
     * A mailer over {@code client}, which it closes on {@link #close()}.
     *
     * @param from the sender, as {@link #ENV_FROM} takes it (validated here)
     * @param configurationSet SES's configuration set for each send, or empty
     */
    public SesMailer(SesV2Client client, String from, Optional<String> configurationSet) {
        this.client = Objects.requireNonNull(client, "client");
        List<String> problems = new ArrayList<>();
        this.from = sender(from, problems);
        this.configurationSet = Objects.requireNonNull(configurationSet, "configurationSet");
        configurationSet.ifPresent(name -> checkConfigurationSet(name, problems));
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    /**
     * The mailer the function's environment describes; every problem in it is reported at once.
     *
     * @throws ConfigException when the sender is missing or not an address, the region is missing,
     *     or the endpoint or configuration set is malformed
     */
    public static SesMailer fromEnvironment(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        String from = sender(env.get(ENV_FROM), problems);
        Optional<String> configurationSet = Optional.ofNullable(env.get(ENV_CONFIGURATION_SET))
                .filter(name -> !name.isBlank()).map(String::strip);
        configurationSet.ifPresent(name -> checkConfigurationSet(name, problems));
        Optional<URI> endpoint = endpoint(env.get(ENV_ENDPOINT), problems);
        Optional<String> region = region(env, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new SesMailer(client(endpoint, Region.of(region.orElseThrow()), credentials(env)), from,
                configurationSet);
    }

    /** The sender every mail goes out from, as SES gets it (the domain in its ASCII form). */
    public String from() {
        return from;
    }

    /**
     * One {@code SendEmail}; returns once SES accepted the mail.
     *
     * @throws MailUnavailableException when SES refused it, throttled past the retries, or did
     *     not answer within {@link #API_CALL_TIMEOUT}
     */
    @Override
    public void send(Mail mail) {
        Objects.requireNonNull(mail, "mail");
        String to;
        try {
            to = asciiDomain(mail.to());
        } catch (IllegalArgumentException e) {
            throw new MailUnavailableException("SES SendEmail not tried: the recipient's domain is not a valid domain name");
        }
        SendEmailRequest.Builder request = SendEmailRequest.builder()
                .fromEmailAddress(from)
                .destination(destination -> destination.toAddresses(to))
                .content(content -> content.simple(message -> message
                        .subject(utf8(mail.subject()))
                        .body(Body.builder().text(utf8(mail.text())).html(utf8(mail.html())).build())));
        configurationSet.ifPresent(request::configurationSetName);
        try {
            client.sendEmail(request.build());
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            throw new MailUnavailableException("SES SendEmail refused: HTTP " + e.statusCode() + " "
                    + (code == null ? "(no error code)" : code) + ", request id " + e.requestId(), e);
        } catch (SdkException e) {
            throw new MailUnavailableException("SES SendEmail did not complete: " + e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public void close() {
        client.close();
    }

    /** The client, built now; no request is made. */
    static SesV2Client client(Optional<URI> endpoint, Region region, Optional<AwsCredentialsProvider> credentials) {
        SesV2ClientBuilder builder = SesV2Client.builder()
                .region(region)
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(CONNECTION_TIMEOUT)
                        .socketTimeout(SOCKET_TIMEOUT))
                .overrideConfiguration(config -> config
                        .apiCallTimeout(API_CALL_TIMEOUT)
                        .retryStrategy(retry -> retry.maxAttempts(MAX_ATTEMPTS)));
        endpoint.ifPresent(builder::endpointOverride);
        credentials.ifPresent(builder::credentialsProvider);
        return builder.build();
    }

    private static Content utf8(String data) {
        return Content.builder().data(data).charset(StandardCharsets.UTF_8.name()).build();
    }

    private static String sender(String value, List<String> problems) {
        if (value == null || value.isBlank()) {
            problems.add(ENV_FROM + " is required: the sender address, verified in SES (e.g. no-reply@example.com "
                    + "or 'Example <no-reply@example.com>')");
            return null;
        }
        String sender = value.strip();
        Matcher named = NAMED.matcher(sender);
        Matcher quoted = QUOTED.matcher(sender);
        String name = null;
        String address = sender;
        if (named.matches()) {
            name = named.group(1).strip();
            address = named.group(2).strip();
        } else if (quoted.matches() && !quoted.group(1).isBlank()) {
            name = quoted.group(1).strip();
            address = quoted.group(2).strip();
        }
        if (!MailAddresses.isAddress(address)) {
            problems.add(ENV_FROM + " must be a mail address or 'Name <address>'; it is '"
                    + sender.replaceAll("\\p{Cntrl}", "?") + "'");
            return null;
        }
        String ascii;
        try {
            ascii = asciiDomain(address);
        } catch (IllegalArgumentException e) {
            problems.add(ENV_FROM + ": the domain of '" + address + "' is not a valid domain name");
            return null;
        }
        if (!ascii.chars().allMatch(c -> c < 0x80)) {
            problems.add(ENV_FROM + ": SES takes only ASCII before the @ of a sender; '" + address + "' is not");
            return null;
        }
        if (name == null) {
            return ascii;
        }
        if (name.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            return (SPECIALS.matcher(name).find() ? "\"" + name + "\"" : name) + " <" + ascii + ">";
        }
        return "=?UTF-8?B?" + java.util.Base64.getEncoder().encodeToString(name.getBytes(StandardCharsets.UTF_8))
                        + "?= <" + ascii + ">";
    }

    /** {@code local@domain} with the domain in Punycode, as SES requires of internationalised domains. */
    static String asciiDomain(String address) {
        int at = address.lastIndexOf('@');
        return address.substring(0, at + 1) + IDN.toASCII(address.substring(at + 1), IDN.USE_STD3_ASCII_RULES);
    }

    private static void checkConfigurationSet(String name, List<String> problems) {
        if (!CONFIGURATION_SET.matcher(name).matches()) {
            problems.add(ENV_CONFIGURATION_SET + " must be an SES configuration set name (letters, digits, _ and -, "
                    + "at most 64)");
        }
    }

    private static Optional<URI> endpoint(String value, List<String> problems) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(value.strip());
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return Optional.of(uri);
            }
        } catch (java.net.URISyntaxException e) {
            // reported below
        }
        problems.add(ENV_ENDPOINT + " must be an http(s) URL such as http://127.0.0.1:5000");
        return Optional.empty();
    }

    private static Optional<String> region(Map<String, String> env, List<String> problems) {
        try {
            return Optional.of(AwsRegion.require(env));
        } catch (ConfigException e) {
            problems.addAll(e.problems());
            return Optional.empty();
        }
    }

    /**
     * Keys given in the environment map itself (the local API and tests pass an emulator's);
     * otherwise empty, and the SDK's default chain finds them (SnapStart's container credentials).
     */
    private static Optional<AwsCredentialsProvider> credentials(Map<String, String> env) {
        String keyId = env.get("AWS_ACCESS_KEY_ID");
        String secret = env.get("AWS_SECRET_ACCESS_KEY");
        if (keyId == null || keyId.isBlank() || secret == null || secret.isBlank()) {
            return Optional.empty();
        }
        String token = env.get("AWS_SESSION_TOKEN");
        return Optional.of(StaticCredentialsProvider.create(token == null || token.isBlank()
                ? AwsBasicCredentials.create(keyId, secret)
                : AwsSessionCredentials.create(keyId, secret, token)));
    }
}
