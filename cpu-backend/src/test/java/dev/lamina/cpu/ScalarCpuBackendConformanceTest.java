package dev.lamina.cpu;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.lamina.backend.Backend;
import dev.lamina.conformance.BackendConformanceTest;

/** The CPU backend's portable path (what a JVM without the Vector API runs) against the reference. */
class ScalarCpuBackendConformanceTest extends BackendConformanceTest {
    @Override
    protected Backend backend() {
        CpuBackend cpu = new CpuBackend(false, 2);
        assertFalse(cpu.usesVectorApi());
        return cpu;
    }
}
