package dev.lamina.cuda;

import dev.lamina.conformance.TrainingBehaviourTest;
import org.junit.jupiter.api.DisplayNameGeneration;

/**
 * Core's training behaviour (whole fits) on the CUDA backend (skip without CUDA). A class of its own, not nested, so that
 * Surefire's parallel forks can run it beside the other long ones.
 */
@DisplayNameGeneration(CudaModeDisplayNames.class)
class CudaTrainingBehaviourTest extends TrainingBehaviourTest {
    @Override
    protected String backendName() {
        CudaTestSupport.assumeUsable(); // Backends.use("cuda") would fail rather than skip
        return "cuda";
    }
}
