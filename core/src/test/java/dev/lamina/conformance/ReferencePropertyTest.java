package dev.lamina.conformance;

import dev.lamina.backend.Backend;
import dev.lamina.backend.reference.ReferenceBackend;

/** The property tests against the reference itself: checks they run and the fused defaults hold together. */
class ReferencePropertyTest extends BackendPropertyTest {
    @Override
    protected Backend backend() {
        return new ReferenceBackend();
    }

    @Override
    protected int trials() {
        return Integer.getInteger("lamina.property.trials", 5);
    }
}
