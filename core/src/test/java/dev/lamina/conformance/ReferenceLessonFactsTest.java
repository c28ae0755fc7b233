package dev.lamina.conformance;

class ReferenceLessonFactsTest extends LessonFactsTest {
    @Override
    protected String backendName() {
        return "reference";
    }
}
