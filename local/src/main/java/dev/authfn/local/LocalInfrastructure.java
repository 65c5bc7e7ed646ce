package dev.authfn.local;

import dev.authfn.core.Stores;
import dev.authfn.core.keys.KeySet;
import dev.authfn.dynamodb.DynamoDbClients;
import dev.authfn.dynamodb.TableDefinitions;
import dev.authfn.emulator.MotoServer;
import dev.authfn.local.template.SamTemplate;
import dev.authfn.testkit.InMemoryStores;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;

/**
 * The stores and key set a local run uses: a DynamoDB API (a moto server started here, and
 * stopped on close, unless an endpoint is given; the template's tables created in it when
 * missing) or, with {@link LocalStore#MEMORY}, the in-memory stores, which every hosted function
 * of the run shares; and a key set generated for the run unless one is given. {@link #recordRun} records the endpoint and table
 * names in a {@link LocalState} file so the admin CLI finds them; only {@code ./authfn start-api}
 * does that (see {@link LocalApi}).
 */
public final class LocalInfrastructure implements AutoCloseable {

    private final MotoServer moto;
    private final URI endpoint;
    private final boolean emulator;
    private final LocalTables tables;
    private final String keySetJson;
    private final Stores memory;
    private volatile LocalState state;

    private LocalInfrastructure(MotoServer moto, URI endpoint, boolean emulator, LocalTables tables, String keySetJson,
            Stores memory) {
        this.moto = moto;
        this.endpoint = endpoint;
        this.emulator = emulator;
        this.tables = tables;
        this.keySetJson = keySetJson;
        this.memory = memory;
    }

    /** A run on fresh in-memory stores: nothing is started, nothing outlives the run. */
    public static LocalInfrastructure startInMemory(Optional<String> keySetJson) {
        return new LocalInfrastructure(null, null, false, LocalTables.DEFAULT, keySet(keySetJson), new InMemoryStores());
    }

    /** As {@link #start(SamTemplate, Optional, Optional, LocalTables, PrintStream)} with {@link LocalTables#DEFAULT}. */
    public static LocalInfrastructure start(SamTemplate template, Optional<URI> endpoint, Optional<String> keySetJson,
            PrintStream log) throws IOException {
        return start(template, endpoint, keySetJson, LocalTables.DEFAULT, log);
    }

    /**
     * @param endpoint a DynamoDB endpoint to use (LocalStack, DynamoDB Local, AWS); empty starts moto
     * @param keySetJson a key set to use; empty generates one
     * @param tables what to call the tables (created there when missing)
     */
    public static LocalInfrastructure start(SamTemplate template, Optional<URI> endpoint, Optional<String> keySetJson,
            LocalTables tables, PrintStream log) throws IOException {
        MotoServer moto = null;
        URI chosen;
        if (endpoint.isPresent()) {
            chosen = endpoint.get();
        } else {
            Path executable = MotoServer.findOnPath(System.getenv("PATH")).orElseThrow(() -> new IOException(
                    "no DynamoDB endpoint: moto_server is not on the PATH. Install it (pip install 'moto[server]')"
                            + " or pass --dynamodb-endpoint http://127.0.0.1:4566 (LocalStack) or another endpoint."));
            log.println("authfn: starting moto_server…");
            try {
                moto = MotoServer.start(executable);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while starting moto_server", e);
            }
            chosen = moto.endpoint();
        }
        boolean emulator = moto != null || !chosen.getHost().endsWith("amazonaws.com");
        try (DynamoDbClient client = client(chosen, emulator)) {
            for (String logicalId : template.resourcesOfType("AWS::DynamoDB::Table")) {
                if (tables.byLogicalId().containsKey(logicalId)) {
                    createTable(client, logicalId, tables.byLogicalId().get(logicalId));
                } else {
                    log.println("authfn: not creating table " + logicalId + ": authfn defines only "
                            + tables.byLogicalId().keySet().stream().sorted().toList());
                }
            }
        } catch (RuntimeException e) {
            if (moto != null) {
                moto.close();
            }
            throw new IOException("cannot create the tables at " + chosen + ": " + e.getMessage(), e);
        }
        return new LocalInfrastructure(moto, chosen, emulator, tables, keySet(keySetJson), null);
    }

    /** The key set given, checked, or a new one. */
    private static String keySet(Optional<String> keySetJson) {
        String keys = keySetJson.orElseGet(() -> KeySet.generate(Clock.systemUTC()).toJson());
        KeySet.parse(keys); // a bad --keys file fails here, with the key set's own message
        return keys;
    }

    /** Where users and sessions are kept. */
    public LocalStore store() {
        return memory == null ? LocalStore.DYNAMODB : LocalStore.MEMORY;
    }

    /** The in-memory stores of a {@link LocalStore#MEMORY} run, which every hosted function shares. */
    public Optional<Stores> memoryStores() {
        return Optional.ofNullable(memory);
    }

    /**
     * The DynamoDB endpoint in use.
     *
     * @throws IllegalStateException in a {@link LocalStore#MEMORY} run
     */
    public URI endpoint() {
        if (endpoint == null) {
            throw new IllegalStateException("this run keeps its data in memory: there is no DynamoDB endpoint");
        }
        return endpoint;
    }

    /** The key set the functions use (JWK set JSON). */
    String keySetJson() {
        return keySetJson;
    }

    /** The tables' names at {@link #endpoint()}. */
    public LocalTables tables() {
        return tables;
    }

    /** True when this run started moto itself. */
    public boolean startedMoto() {
        return moto != null;
    }

    /** {@code environment} with the endpoint, the key set and, for an emulator, its dummy credentials. */
    public LocalEnvironment bind(LocalEnvironment environment) {
        LocalEnvironment bound = environment
                .withVariable("AUTHFN_DYNAMODB_ENDPOINT", endpoint == null ? "" : endpoint.toString())
                .withVariable("AUTHFN_KEYS", keySetJson)
                .withVariable("AUTHFN_KEYS_SECRET_ID", "");
        for (Map.Entry<String, String> table : tables.byLogicalId().entrySet()) {
            bound = bound.withResourceName(table.getKey(), table.getValue());
        }
        if (emulator) {
            bound = bound.withVariable("AWS_ACCESS_KEY_ID", "test").withVariable("AWS_SECRET_ACCESS_KEY", "test");
        }
        return bound;
    }

    /**
     * Records the run (endpoint, tables, URL) in {@code stateFile} for the admin CLI; {@link #close}
     * deletes that file again.
     */
    void recordRun(Path stateFile, URI apiUrl, Optional<LocalAdminChannel> admin, Path mailDirectory)
            throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("url", apiUrl.toString());
        values.put("store", store().name().toLowerCase(java.util.Locale.ROOT));
        if (endpoint != null) {
            values.put("dynamodb_endpoint", endpoint.toString());
        }
        values.put("users_table", tables.users());
        values.put("sessions_table", tables.sessions());
        values.put("mail_outbox", mailDirectory.toString());
        admin.ifPresent(channel -> {
            values.put("admin_url", channel.uri().toString());
            values.put("admin_token", channel.token());
        });
        values.put("pid", Long.toString(ProcessHandle.current().pid()));
        LocalState recorded = new LocalState(stateFile);
        state = recorded;
        recorded.write(values);
    }

    /**
     * The outbox the functions write to: the memory run's, or the outbox table at the endpoint
     * (with a client of its own, closed with this).
     */
    public synchronized dev.authfn.core.account.Outbox outbox() {
        if (memory != null) {
            return memory.outbox();
        }
        if (outboxClient == null) {
            outboxClient = client(endpoint, emulator);
        }
        return new dev.authfn.dynamodb.DynamoDbOutbox(outboxClient, tables.outbox());
    }

    private DynamoDbClient outboxClient;

    @Override
    public void close() {
        synchronized (this) {
            if (outboxClient != null) {
                outboxClient.close();
            }
        }
        LocalState recorded = state;
        if (recorded != null) {
            recorded.delete();
        }
        if (moto != null) {
            moto.close();
        }
    }

    /** A client for {@code endpoint}: dummy credentials for an emulator, the default chain for AWS. */
    static DynamoDbClient client(URI endpoint, boolean emulator) {
        if (!emulator) {
            return DynamoDbClients.create(Optional.of(endpoint), Region.of(LocalAws.REGION));
        }
        return DynamoDbClients.create(Optional.of(endpoint), Region.of(LocalAws.REGION),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
    }

    private static void createTable(DynamoDbClient client, String logicalId, String name) {
        try {
            if (logicalId.equals("SessionsTable")) {
                TableDefinitions.createSessionsTable(client, name);
            } else if (logicalId.equals("OutboxTable")) {
                TableDefinitions.createOutboxTable(client, name);
            } else {
                TableDefinitions.createUsersTable(client, name);
            }
        } catch (ResourceInUseException e) {
            // Already there (a persistent emulator or a second run): use it as it is.
        }
    }

}
