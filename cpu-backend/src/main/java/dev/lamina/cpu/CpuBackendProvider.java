package dev.lamina.cpu;

import dev.lamina.backend.Backend;
import dev.lamina.backend.BackendProvider;

/** Registers the CPU backend, always usable. */
public final class CpuBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public int priority() {
        return 50;
    }

    @Override
    public String unavailableReason() {
        return null;
    }

    @Override
    public Backend create() {
        return new CpuBackend();
    }
}
