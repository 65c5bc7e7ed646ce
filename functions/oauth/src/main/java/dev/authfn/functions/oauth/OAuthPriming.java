package dev.authfn.functions.oauth;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.authfn.auth.Components;
import dev.authfn.core.Stores;
import dev.authfn.core.oauth.AuthorizationCode;
import dev.authfn.core.oauth.OAuthClient;
import dev.authfn.core.oauth.OAuthStore;
import dev.authfn.core.oauth.RefreshFamily;
import dev.authfn.core.session.SessionStore;
import dev.authfn.core.user.UserStore;
import dev.authfn.lambda.Priming;
import dev.authfn.lambda.PrimingContext;
import dev.authfn.lambda.SyntheticEvents;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * SnapStart priming for {@link OAuthHandler}, with no network and no real data: the DynamoDB
 * client is built (no request), then {@value #ROUNDS} rounds of three requests go to a handler of
 * the same class built over {@link #stores()}, stores in which no client is registered and that
 * refuse anything else:
 *
 * <ul>
 *   <li>{@code GET /.well-known/openid-configuration}: the discovery document from the key set in
 *       memory, 200;
 *   <li>{@code POST /oauth2/token}, a code exchange of the made-up client {@value #CLIENT_ID}:
 *       the form reader, the service's parameter and client checks, the RFC 6749 401
 *       {@code invalid_client};
 *   <li>{@code GET /oauth2/authorize} from that client without a session cookie: the query reader,
 *       the cookie check (no cookie: no read), and the 400 error page.
 * </ul>
 *
 * The login page, the code, token and refresh paths and their DynamoDB calls are not primed.
 */
final class OAuthPriming extends Priming<List<Integer>> {

    static final int ROUNDS = 5;
    static final String CLIENT_ID = "snapstart-priming";

    /** A code exchange of the right shape that names no registered client. */
    static final String TOKEN_FORM = "grant_type=authorization_code&client_id=" + CLIENT_ID + "&code=" + "A".repeat(43)
            + "&redirect_uri=https%3A%2F%2Fsnapstart-priming.invalid%2Fcb&code_verifier=" + "A".repeat(43);

    static final String AUTHORIZE_QUERY = "response_type=code&client_id=" + CLIENT_ID
            + "&redirect_uri=https%3A%2F%2Fsnapstart-priming.invalid%2Fcb&scope=openid&state=s"
            + "&code_challenge=" + "A".repeat(43) + "&code_challenge_method=S256";

    private final Components components;

    /** @param components the Lambda handler's root, whose configuration, keys and codecs the primed handler shares */
    OAuthPriming(Components components) {
        this.components = Objects.requireNonNull(components, "components");
    }

    /** Builds the DynamoDB client (no request), then primes; returns each synthetic request's status. */
    @Override
    protected List<Integer> prime() {
        components.stores().prepare();
        OAuthHandler handler = new OAuthHandler(components.withStores(stores()));
        List<Integer> statuses = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            statuses.add(handler.handleRequest(SyntheticEvents.http(OAuthHandler.DISCOVERY), PrimingContext.INSTANCE)
                    .getStatusCode());
            statuses.add(handler.handleRequest(token(), PrimingContext.INSTANCE).getStatusCode());
            statuses.add(handler.handleRequest(authorize(), PrimingContext.INSTANCE).getStatusCode());
        }
        return statuses;
    }

    private static APIGatewayV2HTTPEvent token() {
        APIGatewayV2HTTPEvent event = SyntheticEvents.http(OAuthHandler.TOKEN);
        event.setHeaders(Map.of("content-type", OAuthHandler.FORM));
        event.setBody(TOKEN_FORM);
        return event;
    }

    private static APIGatewayV2HTTPEvent authorize() {
        APIGatewayV2HTTPEvent event = SyntheticEvents.http(OAuthHandler.AUTHORIZE);
        event.setRawQueryString(AUTHORIZE_QUERY);
        return event;
    }

    /**
     * What priming's handler reads: an OAuth store that knows no client, code or family and writes
     * nothing, and user and session stores that refuse every call (priming reads no user and no session).
     */
    static Stores stores() {
        SessionStore sessions = refusing(SessionStore.class, "priming reads no session");
        UserStore users = refusing(UserStore.class, "priming reads no user");
        OAuthStore oauth = new NoClients();
        return new Stores() {
            @Override
            public SessionStore sessions() {
                return sessions;
            }

            @Override
            public UserStore users() {
                return users;
            }

            @Override
            public OAuthStore oauth() {
                return oauth;
            }
        };
    }

    private static <T> T refusing(Class<T> port, String message) {
        return port.cast(Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, (proxy, method, arguments) -> {
            if (method.getName().equals("toString") && method.getParameterCount() == 0) {
                return port.getSimpleName() + "[priming]";
            }
            throw new IllegalStateException(message);
        }));
    }

    /** No client, no code, no family; every write refused. */
    private static final class NoClients implements OAuthStore {
        @Override
        public boolean addClient(OAuthClient client) {
            throw new IllegalStateException("priming writes nothing");
        }

        @Override
        public Optional<OAuthClient> client(String clientId) {
            return Optional.empty();
        }

        @Override
        public List<OAuthClient> clients() {
            return List.of();
        }

        @Override
        public boolean removeClient(String clientId) {
            return false;
        }

        @Override
        public boolean isCorsOrigin(String origin) {
            return false;
        }

        @Override
        public void saveCode(AuthorizationCode code) {
            throw new IllegalStateException("priming writes nothing");
        }

        @Override
        public CodeSpend spendCode(String codeHash, String grantSessionId, Instant now) {
            return new Unknown();
        }

        @Override
        public boolean saveFamily(RefreshFamily family) {
            throw new IllegalStateException("priming writes nothing");
        }

        @Override
        public Optional<RefreshFamily> family(String familyId) {
            return Optional.empty();
        }

        @Override
        public boolean rotate(RefreshFamily read, RefreshFamily next) {
            return false;
        }

        @Override
        public boolean removeFamily(String familyId) {
            return false;
        }
    }
}
