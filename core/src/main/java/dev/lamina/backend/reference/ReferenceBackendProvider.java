package dev.lamina.backend.reference;

import dev.lamina.backend.Backend;
import dev.lamina.backend.BackendProvider;

/** Registers the reference backend; the lowest priority, so {@code auto} never picks it when a real one exists. */
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
    public String unavailableReason() {
        return null;
    }

    @Override
    public Backend create() {
        return new ReferenceBackend();
    }
}
