package dev.lamina.cuda;

import dev.lamina.backend.Backend;
import dev.lamina.conformance.BackendPropertyTest;
import org.junit.jupiter.api.DisplayNameGeneration;

/** Core's property tests (every SPI op on randomly drawn shapes, against the reference) on CUDA; skips without CUDA. */
@DisplayNameGeneration(CudaModeDisplayNames.class)
class CudaPropertyTest extends BackendPropertyTest {
    @Override
    protected Backend backend() {
        return CudaTestSupport.backend();
    }
}
