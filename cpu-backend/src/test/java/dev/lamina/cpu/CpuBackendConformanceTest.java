package dev.lamina.cpu;

import dev.lamina.backend.Backend;
import dev.lamina.conformance.BackendConformanceTest;

/** The CPU backend against the reference, op by op. */
class CpuBackendConformanceTest extends BackendConformanceTest {
    @Override
    protected Backend backend() {
        return new CpuBackend();
    }
}
