package dev.lamina.backend;

/**
 * Registers a backend with {@link Backends} through {@link java.util.ServiceLoader}: a module lists
 * its provider in {@code META-INF/services/dev.lamina.backend.BackendProvider}.
 */
public interface BackendProvider {

    /** The name users select the backend by. */
    String name();

    /**
     * {@code auto} picks the usable backend with the highest priority among those that
     * {@linkplain #chosenByAuto() it may choose} (cuda 100, cpu 50).
     */
    int priority();

    /**
     * Whether {@code auto} may choose this backend. False for the reference backend: it is the slow
     * test oracle, and a class path that lacks a real backend must fail loudly rather than train
     * many times slower without saying so. Such a backend is used only when asked for by name.
     */
    default boolean chosenByAuto() {
        return true;
    }

    /** Null when the backend can run here; otherwise one line saying why not (no driver, no device...). */
    String unavailableReason();

    /** Creates the backend; called at most once per JVM by {@link Backends}. */
    Backend create();
}
