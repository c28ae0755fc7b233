package dev.lamina.spark;

import dev.lamina.LaminaException;

/**
 * Spark wraps an executor's exception in its own ("Job aborted due to stage failure: ... Lost task
 * ..."). When the cause is ours (a bad row, a diverged run), the user gets our message as it was.
 */
final class SparkErrors {
    private SparkErrors() {
    }

    /** Runs {@code work}; a failure caused by a {@link LaminaException} comes out as one, with our message. */
    static <T> T rethrowingOurs(java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (Exception e) {      // SparkException is checked, but Scala code throws it anyway
            for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
                if (t instanceof LaminaException) {
                    throw t == e ? (LaminaException) t : new LaminaException(t.getMessage(), e);
                }
            }
            throw sneaky(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException sneaky(Throwable e) throws E {
        throw (E) e;
    }
}
