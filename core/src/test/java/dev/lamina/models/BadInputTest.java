package dev.lamina.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.LaminaException;
import dev.lamina.Sequential;
import dev.lamina.backend.Backends;
import dev.lamina.layers.Activation;
import dev.lamina.layers.Dense;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bad input is refused with a message that says what to fix. */
@ExtendWith(OnReferenceBackend.class)
class BadInputTest {
    private static String message(Runnable r) {
        return assertThrows(LaminaException.class, r::run).getMessage();
    }

    @Test
    void unknownActivationListsTheKnownOnes() {
        String m = message(() -> new Dense(4, "rellu"));
        assertTrue(m.contains("'rellu'") && m.contains("relu") && m.contains("gelu") && m.contains("leaky_relu"), m);
        m = message(() -> new Activation("swishy"));
        assertTrue(m.contains("swish") && m.contains("silu"), m);
    }

    @Test
    void unknownOptimizerAndLossListTheKnownOnes() {
        Sequential model = new Sequential(new Dense(1));
        String m = message(() -> model.compile("adamm", "mse"));
        assertTrue(m.contains("'adamm'") && m.contains("sgd") && m.contains("adam"), m);
        m = message(() -> model.compile("sgd", "msee"));
        assertTrue(m.contains("'msee'") && m.contains("mse") && m.contains("huber"), m);
        m = message(() -> model.compile("sgd", "mse", "accuracyy"));
        assertTrue(m.contains("'accuracyy'") && m.contains("accuracy"), m);
    }

    @Test
    void namesAreCaseInsensitive() {
        Sequential model = new Sequential(new Dense(2, "ReLU"), new Dense(1));
        model.compile("SGD", "MSE");
        assertEquals("sgd", model.optimizer().name());
    }

    @Test
    void rowCountsMustMatch() {
        Sequential model = new Sequential(new Dense(1));
        model.compile("sgd", "mse");
        String m = message(() -> model.fit(new float[3][2], new float[2][1], 1));
        assertTrue(m.contains("x has 3 rows but y has 2"), m);
    }

    @Test
    void inputWidthMustMatchTheBuiltModel() {
        Sequential model = new Sequential(new Dense(4, "relu"), new Dense(1));
        model.compile("sgd", "mse");
        model.build(8);
        String m = message(() -> model.predict(new float[2][5]));
        assertTrue(m.contains("x has 5 columns") && m.contains("built for 8 inputs"), m);
        m = message(() -> model.fit(new float[2][5], new float[2][1], 1));
        assertTrue(m.contains("built for 8 inputs"), m);
    }

    @Test
    void targetWidthMustMatchTheOutput() {
        Sequential model = new Sequential(new Dense(1));
        model.compile("sgd", "mse");
        String m = message(() -> model.fit(new float[2][3], new float[2][2], 1));
        assertTrue(m.contains("y has 2 columns, but 1 are expected"), m);
    }

    @Test
    void nonFiniteValuesAreReportedWithRowAndColumn() {
        Sequential model = new Sequential(new Dense(1));
        model.compile("sgd", "mse");
        float[][] x = new float[3][2];
        x[2][1] = Float.NaN;
        String m = message(() -> model.fit(x, new float[3][1], 1));
        assertTrue(m.contains("row 2, column 1"), m);
    }

    @Test
    void fitBeforeCompileSaysWhatToDo() {
        Sequential model = new Sequential(new Dense(1));
        String m = message(() -> model.fit(new float[2][2], new float[2][1], 1));
        assertTrue(m.contains("compile"), m);
    }

    @Test
    void unknownBackendNamesTheOnesFound() {
        String m = message(() -> Backends.use("tpu"));
        assertTrue(m.contains("'tpu'") && m.contains("reference"), m);
    }

    @Test
    void aClosedModelRefusesWork() {
        Sequential model = new Sequential(new Dense(1));
        model.build(2);
        model.close();
        String m = message(() -> model.predict(new float[1][2]));
        assertTrue(m.contains("closed"), m);
    }

    @Test
    void summaryListsLayersShapesAndParameters() {
        Sequential model = new Sequential(new Dense(4, "relu"), new Dense(4, "relu"), new Dense(1));
        assertTrue(model.summary().contains("0 (unbuilt)"));
        model.build(8);
        String s = model.summary();
        assertTrue(s.contains("dense (Dense)") && s.contains("dense_1 (Dense)") && s.contains("dense_2 (Dense)"), s);
        assertTrue(s.contains("(None, 4)") && s.contains("36") && s.contains("20") && s.contains(" 5 "), s);
        assertTrue(s.contains("Total params: 61 (244.00 B)"), s);
    }
}
