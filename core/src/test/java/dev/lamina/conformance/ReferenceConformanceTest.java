package dev.lamina.conformance;

import dev.lamina.backend.Backend;
import dev.lamina.backend.reference.ReferenceBackend;

/** The suite against the reference itself: checks the suite runs and the fused defaults hold together. */
class ReferenceConformanceTest extends BackendConformanceTest {
    @Override
    protected Backend backend() {
        return new ReferenceBackend();
    }
}
