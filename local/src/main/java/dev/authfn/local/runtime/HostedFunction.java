package dev.authfn.local.runtime;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.authfn.auth.Components;
import dev.authfn.core.Stores;
import dev.authfn.core.config.AuthfnConfig;
import dev.authfn.local.template.FunctionSpec;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;

/**
 * One template function hosted the way Lambda runs it: warm handler instances, each built once
 * with the function's environment and serving one invocation at a time.
 *
 * <p>Instances are built lazily, up to {@code maxInstances}, like Lambda scaling out to more
 * execution environments under concurrent load; a call that finds all of them busy waits for one.
 * So a handler is never called concurrently on one instance, yet concurrent requests are served.
 * A constructor that throws is an init error: that invocation fails and the next one retries.
 *
 * <p>A handler class implements {@link RequestHandler}. Its no-argument constructor reads the
 * process environment, as on Lambda; here each function has an environment of its own, so the
 * host builds the handler's root from it and calls the constructor that takes that root: a
 * {@link Components} (built with {@link Components#fromEnvironment(Map)}; the handler checks what
 * it requires), or for a function that authenticates nothing, its {@link AuthfnConfig}. A class
 * with neither gets its no-argument constructor.
 */
public final class HostedFunction {

    private final FunctionSpec spec;
    private final Constructor<?> constructor;
    private final Map<String, String> environment;
    private final Optional<Stores> stores;
    private final Type inputType;
    private final PrintStream log;
    private final Semaphore slots;
    private final Queue<RequestHandler<Object, Object>> idle = new ConcurrentLinkedQueue<>();

    private HostedFunction(FunctionSpec spec, Constructor<?> constructor, Map<String, String> environment,
            Optional<Stores> stores, Type inputType, int maxInstances, PrintStream log) {
        this.spec = spec;
        this.constructor = constructor;
        this.environment = Map.copyOf(environment);
        this.stores = stores;
        this.inputType = inputType;
        this.log = log;
        this.slots = new Semaphore(maxInstances, true);
    }

    /**
     * Loads and checks the handler class (nothing is instantiated yet).
     *
     * @throws HandlerLoadException naming the function and class when the class is missing, is not
     *                              a {@link RequestHandler} or has neither usable constructor
     */
    public static HostedFunction load(FunctionSpec spec, Map<String, String> environment, ClassLoader loader,
            int maxInstances, PrintStream log) {
        return load(spec, environment, Optional.empty(), loader, maxInstances, log);
    }

    /**
     * As {@link #load(FunctionSpec, Map, ClassLoader, int, PrintStream)}, with each instance's root
     * over {@code stores} when given (a run on in-memory stores, which all its functions share)
     * rather than the stores the environment names.
     */
    public static HostedFunction load(FunctionSpec spec, Map<String, String> environment, Optional<Stores> stores,
            ClassLoader loader, int maxInstances, PrintStream log) {
        if (maxInstances < 1) {
            throw new IllegalArgumentException("maxInstances must be at least 1");
        }
        String where = spec.logicalId() + ": handler " + spec.handlerClass();
        Class<?> handlerClass;
        try {
            handlerClass = Class.forName(spec.handlerClass(), false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new HandlerLoadException(where + " is not on the classpath"
                    + spec.module().map(m -> " (it is built by " + m + ")").orElse(""), e);
        }
        if (!RequestHandler.class.isAssignableFrom(handlerClass)) {
            throw new HandlerLoadException(where + " does not implement " + RequestHandler.class.getName());
        }
        return new HostedFunction(spec, constructor(handlerClass, where), environment, stores, inputType(handlerClass),
                maxInstances, log);
    }

    /** The function's logical id. */
    public String name() {
        return spec.logicalId();
    }

    /** The handler's input type, {@code I} of its {@code RequestHandler<I, O>} ({@code Object} when raw). */
    public Type inputType() {
        return inputType;
    }

    /** Whether an event of this class can be passed to the handler as it is. */
    public boolean accepts(Class<?> eventClass) {
        Type raw = inputType instanceof ParameterizedType parameterized ? parameterized.getRawType() : inputType;
        return raw instanceof Class<?> inputClass && inputClass.isAssignableFrom(eventClass);
    }

    /** The class loader the handler came from, for (de)serializing its events. */
    public ClassLoader classLoader() {
        return constructor.getDeclaringClass().getClassLoader();
    }

    /**
     * Calls the handler once on an idle instance (built now if none is idle and fewer than
     * {@code maxInstances} exist; otherwise waits for one) and returns what it returned.
     *
     * @throws InvocationException when the constructor or the handler throws
     */
    public Object invoke(Object event) throws InvocationException {
        slots.acquireUninterruptibly();
        try {
            RequestHandler<Object, Object> handler = idle.poll();
            if (handler == null) {
                handler = newInstance();
            }
            try {
                LocalContext context = new LocalContext(UUID.randomUUID().toString(), spec.logicalId(), spec.memoryMb(),
                        spec.timeoutSeconds(), log);
                return handler.handleRequest(event, context);
            } catch (Exception | LinkageError e) {
                throw new InvocationException(spec.logicalId() + " threw " + describe(e), e);
            } finally {
                idle.offer(handler);
            }
        } finally {
            slots.release();
        }
    }

    @SuppressWarnings("unchecked")
    private RequestHandler<Object, Object> newInstance() throws InvocationException {
        try {
            Object instance;
            if (constructor.getParameterCount() == 0) {
                instance = constructor.newInstance();
            } else if (constructor.getParameterTypes()[0] == Components.class) {
                Components root = Components.fromEnvironment(environment);
                instance = constructor.newInstance(stores.map(root::withStores).orElse(root));
            } else {
                instance = constructor.newInstance(
                        AuthfnConfig.fromEnvironment(environment, EnumSet.noneOf(AuthfnConfig.Requirement.class)));
            }
            return (RequestHandler<Object, Object>) instance;
        } catch (InvocationTargetException e) {
            throw new InvocationException(spec.logicalId() + " failed to initialise: " + describe(e.getCause()), e.getCause());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new InvocationException(spec.logicalId() + " failed to initialise: " + describe(e), e);
        } catch (RuntimeException e) {
            // The root's own checks (configuration, key set) fail before the constructor runs.
            throw new InvocationException(spec.logicalId() + " failed to initialise: " + describe(e), e);
        }
    }

    private static String describe(Throwable e) {
        return e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static Constructor<?> constructor(Class<?> handlerClass, String where) {
        for (Class<?> root : List.of(Components.class, AuthfnConfig.class)) {
            try {
                return handlerClass.getConstructor(root);
            } catch (NoSuchMethodException tryTheNext) {
                // next
            }
        }
        try {
            return handlerClass.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new HandlerLoadException(where + " has no public constructor taking Components, AuthfnConfig or nothing");
        }
    }

    /** Finds {@code I} of {@code RequestHandler<I, O>} through superclasses and interfaces, resolving type variables. */
    static Type inputType(Class<?> handlerClass) {
        Type found = search(handlerClass, Map.of());
        return found instanceof Class<?> || found instanceof ParameterizedType ? found : Object.class;
    }

    private static Type search(Type type, Map<TypeVariable<?>, Type> outer) {
        Class<?> raw;
        Map<TypeVariable<?>, Type> bindings = outer;
        if (type instanceof ParameterizedType parameterized) {
            raw = (Class<?>) parameterized.getRawType();
            bindings = new HashMap<>();
            TypeVariable<?>[] variables = raw.getTypeParameters();
            Type[] arguments = parameterized.getActualTypeArguments();
            for (int i = 0; i < variables.length; i++) {
                Type argument = arguments[i];
                bindings.put(variables[i], argument instanceof TypeVariable<?> v ? outer.getOrDefault(v, v) : argument);
            }
            if (raw == RequestHandler.class) {
                return bindings.get(variables[0]);
            }
        } else if (type instanceof Class<?> plain) {
            raw = plain;
        } else {
            return null;
        }
        List<Type> parents = new ArrayList<>(List.of(raw.getGenericInterfaces()));
        if (raw.getGenericSuperclass() != null) {
            parents.add(raw.getGenericSuperclass());
        }
        for (Type parent : parents) {
            Type found = search(parent, bindings);
            if (found != null) {
                return found;
            }
        }
        return null;
    }
}
