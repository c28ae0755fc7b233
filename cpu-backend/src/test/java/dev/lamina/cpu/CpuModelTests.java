package dev.lamina.cpu;

import dev.lamina.backend.Backend;
import dev.lamina.conformance.CourseLessonsTest;
import dev.lamina.conformance.GradientCheckTest;
import dev.lamina.conformance.LessonFactsTest;
import dev.lamina.conformance.TrainingBehaviourTest;
import org.junit.jupiter.api.Nested;

/** Core's gradient checks, lesson facts and training behaviour, on the CPU backend. */
class CpuModelTests {
    @Nested
    class Gradients extends GradientCheckTest {
        @Override
        protected Backend backend() {
            return new CpuBackend();
        }
    }

    @Nested
    class Lesson extends LessonFactsTest {
        @Override
        protected String backendName() {
            return "cpu";
        }
    }

    @Nested
    class Training extends TrainingBehaviourTest {
        @Override
        protected String backendName() {
            return "cpu";
        }
    }

    @Nested
    class Course extends CourseLessonsTest {
        @Override
        protected String backendName() {
            return "cpu";
        }
    }
}
