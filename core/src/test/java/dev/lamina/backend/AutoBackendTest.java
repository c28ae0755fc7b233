package dev.lamina.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.LaminaException;
import dev.lamina.Sequential;
import dev.lamina.layers.Dense;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Core's tests run with lamina-core alone on the class path: only the reference backend is found.
 * That is what a user gets who forgot lamina-cpu (or whose fat jar lost its service entry), and
 * {@code auto} must then fail with what to do, never train silently on the slow oracle.
 */
class AutoBackendTest {

    @AfterEach
    void backToAuto() {
        Backends.use("auto");
    }

    @Test
    void onlyTheReferenceBackendIsFoundHere() {
        assertEquals(java.util.List.of("reference"), Backends.available());
    }

    @Test
    void autoNeverPicksTheReferenceBackend() {
        assertTrue(Backends.autoChoice().isEmpty(), "auto would pick " + Backends.autoChoice());
        LaminaException e = assertThrows(LaminaException.class, () -> Backends.get("auto"));
        assertTrue(e.getMessage().contains("Put lamina-cpu on the class path"), e.getMessage());
        assertTrue(e.getMessage().contains("META-INF/services/dev.lamina.backend.BackendProvider"), e.getMessage());
    }

    @Test
    void aModelOnAutoFailsWithTheMessageBeforeTraining() {
        Backends.use("auto");
        Sequential model = new Sequential(new Dense(1));
        model.compile("sgd", "mse");
        LaminaException e = assertThrows(LaminaException.class,
                () -> model.fit(new float[][] {{1f}, {2f}}, new float[][] {{2f}, {4f}}, 1));
        assertTrue(e.getMessage().contains("Put lamina-cpu on the class path"), e.getMessage());
    }

    @Test
    void theReferenceBackendIsStillThereByName() {
        assertEquals("reference", Backends.get("reference").name());
        Backends.use("reference");
        assertEquals("reference", Backends.current().name());
    }

    @Test
    void describeReportsTheMissingBackendInsteadOfThrowing() {
        Backends.use("auto");
        String report = Backends.describe();
        assertTrue(report.contains("reference: usable"), report);
        assertTrue(report.contains("selected: none"), report);
        assertTrue(report.contains("Put lamina-cpu on the class path"), report);
    }
}
