package dev.authfn.lambda;

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
     * Registers {@code priming} with the global CRaC context and returns it. The context may hold
     * its resources only weakly: the handler keeps the returned reference in a field.
     */
    public static <P extends Priming<?>> P register(P priming) {
        Core.getGlobalContext().register(priming);
        return priming;
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
