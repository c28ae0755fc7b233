package dev.lamina.cuda;

import dev.lamina.backend.Backend;
import dev.lamina.conformance.GradientCheckTest;
import org.junit.jupiter.api.DisplayNameGeneration;

/** Core's gradient checks on the CUDA backend (skip without CUDA). */
@DisplayNameGeneration(CudaModeDisplayNames.class)
class CudaGradientCheckTest extends GradientCheckTest {
    @Override
    protected Backend backend() {
        return CudaTestSupport.backend();
    }
}
