package dev.authfn.testkit.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads the repository's {@code events/} files, the same ones {@code sam local invoke -e} takes. */
public final class Events {

    private Events() {
    }

    public static APIGatewayV2HTTPEvent http(String file) {
        return EventLoader.loadApiGatewayHttpEvent(path(file));
    }

    public static APIGatewayV2CustomAuthorizerEvent authorizer(String file) {
        return EventLoader.loadAPIGatewayV2CustomAuthorizerEvent(path(file));
    }

    public static APIGatewayCustomAuthorizerEvent restAuthorizer(String file) {
        return EventLoader.loadAPIGatewayCustomAuthorizerEvent(path(file));
    }

    /** The absolute path of {@code events/<file>}, found from the module directory upwards. */
    public static String path(String file) {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("events").resolve(file);
            if (Files.isRegularFile(candidate) && Files.isRegularFile(dir.resolve("template.yaml"))) {
                return candidate.toString();
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("events/" + file + " not found above " + Path.of("").toAbsolutePath());
    }
}
