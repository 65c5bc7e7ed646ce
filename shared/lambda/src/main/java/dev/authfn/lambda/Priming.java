package dev.authfn.lambda;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * A function's SnapStart priming: before the snapshot, {@link #prime()} runs the function's hot
 * path on synthetic requests (no network, no real user's data, see {@link SyntheticEvents} and
 * {@link PrimingContext}), so that a restored function finds those classes loaded, initialised
 * and compiled. Nothing is redone after a restore. On a JVM without CRaC the hook is never called.
 *
 * @param <R> what the synthetic requests got, for the priming's own tests
 */
public abstract class Priming<R> implements Resource {

    /**
     * Every priming registered in this process, held here: the CRaC context may keep its resources
     * only weakly, and nothing else refers to a priming once its handler is built.
     */
    private static final List<Priming<?>> REGISTERED = new CopyOnWriteArrayList<>();

    /**
     * Registers {@code priming} with the global CRaC context, to run before the snapshot. Only a
     * handler's no-argument (Lambda) constructor calls this; the local API and tests, which build
     * handlers through their root, prime nothing.
     */
    public static void register(Priming<?> priming) {
        REGISTERED.add(priming);
        Core.getGlobalContext().register(priming);
    }

    @Override
    public final void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public final void afterRestore(Context<? extends Resource> context) {
        // Nothing to redo: keys, clients and compiled code are as valid after a restore as before.
    }

    /** Runs the synthetic requests; returns what they got. */
    protected abstract R prime();
}
