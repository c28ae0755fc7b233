package dev.lamina.cuda;

import dev.lamina.conformance.CourseLessonsTest;
import org.junit.jupiter.api.DisplayNameGeneration;

/**
 * The course's lessons on the CUDA backend (skip without CUDA). A class of its own, not nested, so that
 * Surefire's parallel forks can run it beside the other long ones.
 */
@DisplayNameGeneration(CudaModeDisplayNames.class)
class CudaCourseLessonsTest extends CourseLessonsTest {
    @Override
    protected String backendName() {
        CudaTestSupport.assumeUsable(); // Backends.use("cuda") would fail rather than skip
        return "cuda";
    }
}
