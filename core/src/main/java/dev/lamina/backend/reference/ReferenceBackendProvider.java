package dev.lamina.backend.reference;

import dev.lamina.backend.Backend;
import dev.lamina.backend.BackendProvider;

/**
 * Registers the reference backend, the test oracle. {@code auto} never picks it: it is slow, and
 * landing on it silently would hide a missing {@code lamina-cpu}. Use it by name ("reference").
 */
public final class ReferenceBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "reference";
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public boolean chosenByAuto() {
        return false;
    }

    @Override
    public String unavailableReason() {
        return null;
    }

    @Override
    public Backend create() {
        return new ReferenceBackend();
    }
}
