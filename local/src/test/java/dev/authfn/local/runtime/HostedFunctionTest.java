package dev.authfn.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.authfn.auth.Components;
import dev.authfn.core.config.AuthfnConfig;
import dev.authfn.local.template.FunctionSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.ParameterizedType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HostedFunctionTest {

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @Test
    void findsTheInputTypeThroughAGenericSuperclass() {
        HostedFunction function = load(ViaSuperclass.class, 1);

        assertThat(function.inputType()).isEqualTo(APIGatewayV2HTTPEvent.class);
        assertThat(function.accepts(APIGatewayV2HTTPEvent.class)).isTrue();
        assertThat(function.accepts(APIGatewayV2CustomAuthorizerEvent.class)).isFalse();
    }

    @Test
    void keepsAParameterizedInputTypeAndTreatsARawHandlerAsTakingObject() {
        assertThat(load(TakesMap.class, 1).inputType()).isInstanceOf(ParameterizedType.class)
                .hasToString("java.util.Map<java.lang.String, java.lang.Object>");
        assertThat(load(Raw.class, 1).inputType()).isEqualTo(Object.class);
        assertThat(load(Raw.class, 1).accepts(APIGatewayV2HTTPEvent.class)).isTrue();
    }

    @Test
    void buildsTheHandlerWithTheFunctionsEnvironmentAndAContext() throws Exception {
        Object result = load(EnvironmentEcho.class, 1).invoke("x");

        assertThat(result).isEqualTo("hello from Fn with 256 MB, time left");
        assertThat(log.toString(StandardCharsets.UTF_8)).isEqualTo("[Fn] invoked" + System.lineSeparator());
    }

    @Test
    void buildsAHandlerThatTakesItsConfigurationFromTheFunctionsEnvironment() throws Exception {
        assertThat(load(ConfigurationEcho.class, 1).invoke("x")).isEqualTo("hello");
    }

    @Test
    void fallsBackToTheNoArgConstructor() throws Exception {
        assertThat(load(ViaSuperclass.class, 1).invoke(new APIGatewayV2HTTPEvent())).isEqualTo("ok");
    }

    @Test
    void buildsInstancesLazilyAndReusesAWarmOne() throws Exception {
        HostedFunction function = load(Counted.class, 4);
        assertThat(Counted.BUILT).hasValue(0);

        function.invoke("a");
        function.invoke("b");

        assertThat(Counted.BUILT).hasValue(1);
    }

    @Test
    void neverCallsMoreInstancesAtOnceThanAllowedNorOneInstanceTwice() throws Exception {
        HostedFunction function = load(Slow.class, 2);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<Object>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(threads.submit(() -> function.invoke("x")));
            }
            for (Future<Object> call : calls) {
                assertThat(call.get()).isEqualTo("done");
            }
        } finally {
            threads.shutdown();
        }
        assertThat(Slow.MOST_AT_ONCE.get()).isEqualTo(2);
        assertThat(Slow.BUILT).hasValue(2);
    }

    @Test
    void reportsWhatTheHandlerThrewAndKeepsTheInstance() {
        HostedFunction function = load(Throwing.class, 1);

        assertThatThrownBy(() -> function.invoke("x"))
                .isInstanceOf(InvocationException.class)
                .hasMessage("Fn threw java.lang.IllegalStateException: store down")
                .cause().isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> function.invoke("x")).isInstanceOf(InvocationException.class);
        assertThat(Throwing.BUILT).hasValue(1);
    }

    @Test
    void reportsAnInitErrorAndRetriesInitOnTheNextCall() throws Exception {
        HostedFunction function = load(FailsFirstInit.class, 1);

        assertThatThrownBy(() -> function.invoke("x"))
                .isInstanceOf(InvocationException.class)
                .hasMessage("Fn failed to initialise: java.lang.IllegalArgumentException: bad configuration")
                .cause().isInstanceOf(IllegalArgumentException.class);
        assertThat(function.invoke("x")).isEqualTo("second init worked");
    }

    @Test
    void refusesAClassThatIsMissingNotAHandlerOrWithoutAUsableConstructor() {
        assertThatThrownBy(() -> HostedFunction.load(spec("dev.authfn.Missing", Optional.of("functions/login")), Map.of(),
                getClass().getClassLoader(), 1, new PrintStream(log)))
                .isInstanceOf(HandlerLoadException.class)
                .hasMessage("Fn: handler dev.authfn.Missing is not on the classpath (it is built by functions/login)");
        assertThatThrownBy(() -> load(NotAHandler.class, 1))
                .hasMessageEndingWith("NotAHandler does not implement com.amazonaws.services.lambda.runtime.RequestHandler");
        assertThatThrownBy(() -> load(NoUsableConstructor.class, 1))
                .hasMessageEndingWith("has no public constructor taking Components, AuthfnConfig or nothing");
    }

    private HostedFunction load(Class<?> handler, int maxInstances) {
        return HostedFunction.load(spec(handler.getName(), Optional.empty()), Map.of("AUTHFN_CLIENT_ID", "hello"),
                getClass().getClassLoader(), maxInstances, new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    private static FunctionSpec spec(String handlerClass, Optional<String> module) {
        return new FunctionSpec("Fn", handlerClass, module, 3, 256, Map.of());
    }

    public abstract static class Base<T> implements RequestHandler<T, String> {
        @Override
        public String handleRequest(T input, Context context) {
            return "ok";
        }
    }

    public static class ViaSuperclass extends Base<APIGatewayV2HTTPEvent> {
    }

    public static class TakesMap implements RequestHandler<Map<String, Object>, String> {
        @Override
        public String handleRequest(Map<String, Object> input, Context context) {
            return "ok";
        }
    }

    @SuppressWarnings("rawtypes")
    public static class Raw implements RequestHandler {
        @Override
        public Object handleRequest(Object input, Context context) {
            return "ok";
        }
    }

    /** Built through the root the host makes from the function's environment (its client id says hello). */
    public static class EnvironmentEcho implements RequestHandler<String, String> {
        private final Components components;

        public EnvironmentEcho(Components components) {
            this.components = components;
        }

        @Override
        public String handleRequest(String variable, Context context) {
            context.getLogger().log("invoked\n");
            return components.config().clientId() + " from " + context.getFunctionName() + " with "
                    + context.getMemoryLimitInMB() + " MB, " + (context.getRemainingTimeInMillis() > 2000 ? "time left" : "late");
        }
    }

    /** A function that authenticates nothing takes its configuration alone. */
    public static class ConfigurationEcho implements RequestHandler<String, String> {
        private final AuthfnConfig config;

        public ConfigurationEcho(AuthfnConfig config) {
            this.config = config;
        }

        @Override
        public String handleRequest(String input, Context context) {
            return config.clientId();
        }
    }

    public static class Counted implements RequestHandler<String, String> {
        static final AtomicInteger BUILT = new AtomicInteger();

        public Counted() {
            BUILT.incrementAndGet();
        }

        @Override
        public String handleRequest(String input, Context context) {
            return input;
        }
    }

    public static class Slow implements RequestHandler<String, String> {
        static final AtomicInteger BUILT = new AtomicInteger();
        static final AtomicInteger RUNNING = new AtomicInteger();
        static final AtomicInteger MOST_AT_ONCE = new AtomicInteger();
        private final AtomicInteger busy = new AtomicInteger();

        public Slow() {
            BUILT.incrementAndGet();
        }

        @Override
        public String handleRequest(String input, Context context) {
            if (busy.incrementAndGet() != 1) {
                throw new IllegalStateException("called while busy");
            }
            MOST_AT_ONCE.accumulateAndGet(RUNNING.incrementAndGet(), Math::max);
            try {
                Thread.sleep(50);
                return "done";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                RUNNING.decrementAndGet();
                busy.decrementAndGet();
            }
        }
    }

    public static class Throwing implements RequestHandler<String, String> {
        static final AtomicInteger BUILT = new AtomicInteger();

        public Throwing() {
            BUILT.incrementAndGet();
        }

        @Override
        public String handleRequest(String input, Context context) {
            throw new IllegalStateException("store down");
        }
    }

    public static class FailsFirstInit implements RequestHandler<String, String> {
        static final AtomicInteger ATTEMPTS = new AtomicInteger();

        public FailsFirstInit() {
            if (ATTEMPTS.incrementAndGet() == 1) {
                throw new IllegalArgumentException("bad configuration");
            }
        }

        @Override
        public String handleRequest(String input, Context context) {
            return "second init worked";
        }
    }

    public static class NotAHandler {
    }

    public static class NoUsableConstructor implements RequestHandler<String, String> {
        public NoUsableConstructor(String unexpected) {
        }

        @Override
        public String handleRequest(String input, Context context) {
            return input;
        }
    }
}
