package dev.lamina.internal;

import dev.lamina.LaminaException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Enforces "one thread at a time" for an object that is not thread-safe: a second thread that
 * enters while another is inside gets a clear error instead of silently corrupted results. The
 * thread inside may enter again (a callback of fit calling getWeights). One compare-and-set per
 * call; nothing per training step.
 */
public final class ExclusiveUse {
    private final String what;
    private final AtomicReference<Thread> owner = new AtomicReference<>();
    /** How deep the owner has entered; read and written by the owner only. */
    private int depth;

    /** {@code what} names the object in messages ("this model"). */
    public ExclusiveUse(String what) {
        this.what = what;
    }

    /** Marks the calling thread as the user until the matching {@link #exit()}; fails if another thread is inside. */
    public void enter(String operation) {
        Thread me = Thread.currentThread();
        if (owner.get() == me) {
            depth++;
            return;
        }
        if (!owner.compareAndSet(null, me)) {
            Thread other = owner.get();
            throw new LaminaException("Cannot " + operation + ": " + what + " is in use by thread '"
                    + (other == null ? "another thread" : other.getName()) + "'. A model is used by one thread at a time; "
                    + "give each thread its own model (models on the same backend may run in parallel).");
        }
        depth = 1;
    }

    /** Runs {@code body} as the only thread using the object. */
    public <T> T call(String operation, java.util.function.Supplier<T> body) {
        enter(operation);
        try {
            return body.get();
        } finally {
            exit();
        }
    }

    public void run(String operation, Runnable body) {
        enter(operation);
        try {
            body.run();
        } finally {
            exit();
        }
    }

    public void exit() {
        if (owner.get() != Thread.currentThread()) {
            throw new IllegalStateException("exit() by a thread that did not enter");
        }
        if (--depth == 0) {
            owner.set(null);
        }
    }
}
