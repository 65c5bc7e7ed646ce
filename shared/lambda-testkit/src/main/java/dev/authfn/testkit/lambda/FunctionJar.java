package dev.authfn.testkit.lambda;

import dev.authfn.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * A function's deployable jar, run the way Lambda runs it: alone on a class path whose parent is
 * the platform class loader, so a class that jar minimisation dropped fails here with
 * {@link NoClassDefFoundError} instead of in production. Events are built from {@code events/}
 * files inside the jar's own class loader, through the event classes' no-arg constructors and
 * setters, because the test's event classes are different classes.
 *
 * <p>Failsafe passes the jar's path in the system property {@value #PROPERTY}. Tests using this
 * class carry the tag {@value #TAG}, which the function modules' surefire excludes: they need the
 * jar that {@code package} builds after surefire's phase.
 */
public final class FunctionJar implements AutoCloseable {

    private static final String COMPONENTS = "dev.authfn.auth.Components";
    private static final String CONFIG = "dev.authfn.core.config.AuthfnConfig";


    public static final String PROPERTY = "authfn.function.jar";
    public static final String TAG = "packaged-jar";

    private final Path path;
    private final URLClassLoader loader;
    /** Every class name the jar's code has asked its loader for, loaded or not. */
    private final Set<String> requested = ConcurrentHashMap.newKeySet();

    private FunctionJar(Path path) {
        this.path = path;
        try {
            this.loader = new URLClassLoader("function-jar", new URL[] {path.toUri().toURL()},
                    ClassLoader.getPlatformClassLoader()) {
                @Override
                protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                    requested.add(name);
                    return super.loadClass(name, resolve);
                }
            };
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The names of the classes requested from the jar's loader so far: what running the jar's
     * code has needed (classes the JVM itself provides included), for tests that a path loads
     * nothing it should not.
     */
    public Set<String> requestedClasses() {
        return Set.copyOf(requested);
    }

    /** The jar this module's build packaged ({@value #PROPERTY}); fails when it is not there. */
    public static FunctionJar packaged() {
        String configured = System.getProperty(PROPERTY);
        if (configured == null || configured.isBlank()) {
            throw new IllegalStateException("system property " + PROPERTY
                    + " is not set: the module's failsafe configuration passes the packaged jar's path");
        }
        Path path = Path.of(configured);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(path + " does not exist: run the IT through mvn verify, after package");
        }
        return new FunctionJar(path);
    }

    public Path path() {
        return path;
    }

    /** Every entry name in the jar. */
    public List<String> entries() {
        try (JarFile jar = new JarFile(path.toFile())) {
            return Collections.list(jar.entries()).stream().map(JarEntry::getName).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code dev.authfn.x.Y} → {@code dev/authfn/x/Y.class}. */
    public static String entryOf(String className) {
        return className.replace('.', '/') + ".class";
    }

    /** Loads and initialises a class from the jar alone. */
    public Class<?> load(String className) {
        return inJar(() -> Class.forName(className, true, loader));
    }

    /**
     * The handler built as the local API builds it: its root made from {@code environment} with the
     * jar's own classes ({@code Components.fromEnvironment}, or for a function that authenticates
     * nothing {@code AuthfnConfig.fromEnvironment}), then passed to the constructor that takes it.
     */
    public Object newHandler(String className, Map<String, String> environment) {
        return inJar(() -> {
            Class<?> handler = load(className);
            Constructor<?> constructor = rootConstructor(handler);
            Class<?> root = constructor.getParameterTypes()[0];
            Object built = root.getName().equals(COMPONENTS)
                    ? root.getMethod("fromEnvironment", Map.class).invoke(null, environment)
                    : root.getMethod("fromEnvironment", Map.class, java.util.Set.class).invoke(null, environment, java.util.Set.of());
            return constructor.newInstance(built);
        });
    }

    /** The handler's one-argument constructor that takes its root: {@code Components} or {@code AuthfnConfig}. */
    public static Constructor<?> rootConstructor(Class<?> handler) {
        for (Constructor<?> constructor : handler.getConstructors()) {
            if (constructor.getParameterCount() == 1
                    && List.of(COMPONENTS, CONFIG).contains(constructor.getParameterTypes()[0].getName())) {
                return constructor;
            }
        }
        throw new IllegalStateException(handler.getName() + " has no constructor taking its root");
    }

    /** Calls {@code handleRequest(event, null)} on a handler from this jar. */
    public Object invoke(Object handler, Object event) {
        return inJar(() -> {
            Class<?> contextType = loader.loadClass("com.amazonaws.services.lambda.runtime.Context");
            Method handle = handler.getClass().getMethod("handleRequest", event.getClass(), contextType);
            return handle.invoke(handler, event, null);
        });
    }

    /** An instance of the jar's {@code eventClass} filled from {@code events/<file>}. */
    public Object event(String eventClass, String file) {
        Map<String, Object> json;
        try {
            json = Json.parseObject(Files.readString(Path.of(Events.path(file))))
                    .orElseThrow(() -> new IllegalStateException("events/" + file + " is not a JSON object"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return inJar(() -> bean(load(eventClass), json, eventClass));
    }

    /** A bean property of an object from this jar: {@code getX()} or {@code isX()}. */
    public static Object get(Object bean, String property) {
        String suffix = Character.toUpperCase(property.charAt(0)) + property.substring(1);
        for (String name : List.of("get" + suffix, "is" + suffix)) {
            try {
                return bean.getClass().getMethod(name).invoke(bean);
            } catch (NoSuchMethodException e) {
                continue;
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException(name + " failed", e);
            }
        }
        throw new IllegalStateException(bean.getClass().getName() + " has no property " + property);
    }

    /** Sets a bean property of an object from this jar through its setter. */
    public static void set(Object bean, String property, Object value) {
        Method setter = setter(bean.getClass(), property);
        if (setter == null) {
            throw new IllegalStateException(bean.getClass().getName() + " has no setter for " + property);
        }
        try {
            setter.invoke(bean, value);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("set" + property + " failed", e);
        }
    }

    @Override
    public void close() throws IOException {
        loader.close();
    }

    private Object bean(Class<?> type, Map<String, Object> json, String where) throws ReflectiveOperationException {
        Object bean = type.getConstructor().newInstance();
        for (Map.Entry<String, Object> member : json.entrySet()) {
            if (member.getValue() == null) {
                continue;
            }
            Method setter = setter(type, member.getKey());
            if (setter == null) {
                continue; // as Lambda's deserializer does: members the event class does not model are ignored
            }
            setter.invoke(bean, convert(setter.getParameterTypes()[0], member.getValue(), where + "." + member.getKey()));
        }
        return bean;
    }

    @SuppressWarnings("unchecked")
    private Object convert(Class<?> type, Object value, String where) throws ReflectiveOperationException {
        if (type.isInstance(value)) {
            return value;
        }
        if (value instanceof Number number) {
            if (type == long.class || type == Long.class) {
                return number.longValue();
            }
            if (type == int.class || type == Integer.class) {
                return number.intValue();
            }
        }
        if (value instanceof Boolean flag && type == boolean.class) {
            return flag;
        }
        if (value instanceof Map<?, ?> map && type.getClassLoader() == loader) {
            return bean(type, (Map<String, Object>) map, where);
        }
        if (value instanceof List<?> list && type.isArray() && type.getComponentType() == String.class) {
            return list.toArray(String[]::new);
        }
        throw new IllegalStateException(where + ": cannot set a " + value.getClass().getSimpleName() + " as " + type.getName());
    }

    /** {@code setFoo} for {@code foo}; for {@code isFoo} also {@code setFoo}, as Lombok names boolean setters. */
    private static Method setter(Class<?> type, String property) {
        List<String> names = new ArrayList<>();
        names.add("set" + Character.toUpperCase(property.charAt(0)) + property.substring(1));
        if (property.startsWith("is") && property.length() > 2 && Character.isUpperCase(property.charAt(2))) {
            names.add("set" + property.substring(2));
        }
        for (String name : names) {
            for (Method method : type.getMethods()) {
                if (method.getName().equals(name) && method.getParameterCount() == 1
                        && !Modifier.isStatic(method.getModifiers())) {
                    return method;
                }
            }
        }
        return null;
    }

    /** Runs with the jar's loader as the thread's context class loader, as Lambda's runtime does. */
    private <T> T inJar(Callable<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return action.call();
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Error error) {
                throw error;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(cause);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    @Override
    public String toString() {
        return "FunctionJar[" + path.getFileName() + "]";
    }
}
