package dev.lamina.conformance;

import dev.lamina.backend.Backend;
import dev.lamina.backend.reference.ReferenceBackend;

class ReferenceGradientCheckTest extends GradientCheckTest {
    @Override
    protected Backend backend() {
        return new ReferenceBackend();
    }
}
