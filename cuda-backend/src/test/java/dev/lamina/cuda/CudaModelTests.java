package dev.lamina.cuda;

import dev.lamina.backend.Backend;
import dev.lamina.conformance.CourseLessonsTest;
import dev.lamina.conformance.GradientCheckTest;
import dev.lamina.conformance.LessonFactsTest;
import dev.lamina.conformance.TrainingBehaviourTest;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.Nested;

/** Core's gradient checks, lesson facts, training behaviour and the course's lessons, on the CUDA backend (skip without CUDA). */
@DisplayNameGeneration(CudaModeDisplayNames.class)
class CudaModelTests {
    @Nested
    @DisplayNameGeneration(CudaModeDisplayNames.class)
    class Gradients extends GradientCheckTest {
        @Override
        protected Backend backend() {
            return CudaTestSupport.backend();
        }
    }

    @Nested
    @DisplayNameGeneration(CudaModeDisplayNames.class)
    class Lesson extends LessonFactsTest {
        @Override
        protected String backendName() {
            CudaTestSupport.assumeUsable(); // Backends.use("cuda") would fail rather than skip
            return "cuda";
        }
    }

    @Nested
    @DisplayNameGeneration(CudaModeDisplayNames.class)
    class Training extends TrainingBehaviourTest {
        @Override
        protected String backendName() {
            CudaTestSupport.assumeUsable();
            return "cuda";
        }
    }

    @Nested
    @DisplayNameGeneration(CudaModeDisplayNames.class)
    class Course extends CourseLessonsTest {
        @Override
        protected String backendName() {
            CudaTestSupport.assumeUsable();
            return "cuda";
        }
    }
}
