package dev.lamina.models;

import dev.lamina.backend.Backends;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs each test of a class with the reference backend as the current one ({@code @ExtendWith(OnReferenceBackend.class)})
 * and puts {@code auto} back after it, so that models built without a backend land on the oracle.
 */
public final class OnReferenceBackend implements BeforeEachCallback, AfterEachCallback {
    @Override
    public void beforeEach(ExtensionContext context) {
        Backends.use("reference");
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Backends.use("auto");
    }
}
