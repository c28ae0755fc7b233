package dev.lamina.backend;

/**
 * Registers a backend with {@link Backends} through {@link java.util.ServiceLoader}: a module lists
 * its provider in {@code META-INF/services/dev.lamina.backend.BackendProvider}.
 */
public interface BackendProvider {

    /** The name users select the backend by. */
    String name();

    /** {@code auto} picks the usable backend with the highest priority (cuda 100, cpu 50, reference 0). */
    int priority();

    /** Null when the backend can run here; otherwise one line saying why not (no driver, no device...). */
    String unavailableReason();

    /** Creates the backend; called at most once per JVM by {@link Backends}. */
    Backend create();
}
