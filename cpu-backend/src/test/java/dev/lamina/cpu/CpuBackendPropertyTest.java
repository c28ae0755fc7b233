package dev.lamina.cpu;

import dev.lamina.backend.Backend;
import dev.lamina.conformance.BackendPropertyTest;
import org.junit.jupiter.api.Nested;

/** Every SPI op on randomly drawn shapes against the reference, on both code paths of the CPU backend. */
class CpuBackendPropertyTest {
    @Nested
    class VectorPath extends BackendPropertyTest {
        @Override
        protected Backend backend() {
            return new CpuBackend(VectorSupport.useVectorByDefault(), 2);
        }
    }

    @Nested
    class PortablePath extends BackendPropertyTest {
        @Override
        protected Backend backend() {
            return new CpuBackend(false, 2);
        }
    }
}
