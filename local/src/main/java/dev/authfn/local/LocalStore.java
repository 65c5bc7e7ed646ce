package dev.authfn.local;

import dev.authfn.emulator.MotoServer;
import java.net.URI;
import java.util.Optional;

/**
 * Where a local run keeps users and sessions: a DynamoDB API (a moto server started for the run,
 * or the endpoint given), or the contract-tested in-memory stores, which need nothing but the JDK
 * and forget everything when the run stops.
 */
public enum LocalStore {
    MEMORY,
    DYNAMODB;

    /** How to get a DynamoDB API, for the messages that need one. */
    static final String THREE_WAYS = "put moto_server on the PATH (pip install 'moto[server]'), or run LocalStack and pass"
            + " --dynamodb-endpoint http://127.0.0.1:4566, or pass --dynamodb-endpoint https://dynamodb.<region>.amazonaws.com"
            + " for AWS (with AWS credentials)";

    /**
     * The store of a run: the one asked for, else DynamoDB when an endpoint is given or
     * {@code moto_server} is on {@code path}, else memory.
     *
     * @throws UsageException for {@code memory} with an endpoint, and {@code dynamodb} with neither an
     *     endpoint nor moto
     */
    static LocalStore choose(Optional<LocalStore> asked, Optional<URI> endpoint, String path) {
        boolean moto = MotoServer.findOnPath(path).isPresent();
        if (asked.isEmpty()) {
            return endpoint.isPresent() || moto ? DYNAMODB : MEMORY;
        }
        if (asked.get() == MEMORY && endpoint.isPresent()) {
            throw new UsageException("--store memory uses no DynamoDB: drop --dynamodb-endpoint, or use --store dynamodb");
        }
        if (asked.get() == DYNAMODB && endpoint.isEmpty() && !moto) {
            throw new UsageException("--store dynamodb needs a DynamoDB API: " + THREE_WAYS);
        }
        return asked.get();
    }
}
