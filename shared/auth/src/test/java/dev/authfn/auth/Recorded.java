package dev.authfn.auth;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;

/** Wraps a port so that each call is written to a log as {@code Type.method}, then passed on. */
final class Recorded {

    private Recorded() {
    }

    static <T> T of(Class<T> port, T delegate, List<String> log) {
        return of(port, delegate, log, () -> { });
    }

    /** As {@link #of(Class, Object, List)}, running {@code beforeSpend} before a token is spent (a race). */
    static <T> T of(Class<T> port, T delegate, List<String> log, Runnable beforeSpend) {
        return port.cast(Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, (proxy, method, args) -> {
            log.add(port.getSimpleName() + "." + method.getName());
            if (method.getName().equals("verifyEmail") || method.getName().equals("resetPassword")) {
                beforeSpend.run();
            }
            try {
                return method.invoke(delegate, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }));
    }
}
