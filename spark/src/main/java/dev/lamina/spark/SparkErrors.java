package dev.lamina.spark;

import dev.lamina.LaminaException;

/**
 * Spark wraps an executor's exception in its own ("Job aborted due to stage failure: ... Lost task
 * ..."). When the cause is ours (a bad row, a diverged run), the user gets our message as it was.
 */
final class SparkErrors {
    private SparkErrors() {
    }

    static RuntimeException unwrap(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof LaminaException) {
                return t == e ? e : new LaminaException(t.getMessage(), e);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return e;
    }
}
