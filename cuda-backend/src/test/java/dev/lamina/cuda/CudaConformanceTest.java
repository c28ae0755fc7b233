package dev.lamina.cuda;

import dev.lamina.backend.Backend;
import dev.lamina.conformance.BackendConformanceTest;
import org.junit.jupiter.api.DisplayNameGeneration;

/** Core's conformance suite, every SPI op against the reference, on the CUDA backend (skips without CUDA). */
@DisplayNameGeneration(CudaModeDisplayNames.class)
class CudaConformanceTest extends BackendConformanceTest {
    @Override
    protected Backend backend() {
        return CudaTestSupport.backend();
    }
}
