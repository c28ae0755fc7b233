package dev.lamina.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lamina.FitOptions;
import dev.lamina.Sequential;
import dev.lamina.io.ModelFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every model Keras 3 saved loads into Lamina and computes what Keras computed: the same weights,
 * the same predictions (to float32 rounding), the same compile settings, and -- where the file has
 * optimizer state -- the same weights after one more training step.
 */
class KerasFixturesTest {
    /** Keras on XLA and Lamina sum in different orders: float32 rounding of values of order 1. */
    static final double PREDICTION_TOLERANCE = 2e-5;
    static final double STEP_TOLERANCE = 2e-5;

    static Stream<Arguments> files() {
        List<Arguments> out = new ArrayList<>();
        for (String model : Fixture.MODELS) {
            out.add(Arguments.of(model, ".keras"));
            out.add(Arguments.of(model, ".h5"));
        }
        out.add(Arguments.of("tf_keras_style", ".h5"));   // tf.keras 2's layout, written with h5py (no TensorFlow here)
        return out.stream();
    }

    @ParameterizedTest(name = "{0}{1}")
    @MethodSource("files")
    void loadsAndPredictsAsKerasDid(String name, String extension) {
        Fixture f = Fixture.of(name);
        try (Sequential model = Sequential.load(Fixture.path(name + extension))) {
            // the JSON keeps 9 decimals
            assertEquals(0.0, Fixture.maxAbsDiff(Fixture.weights(f.record.get("weights")), model.getWeights()), 1e-8, name + " weights");
            double predictionError = Fixture.maxAbsDiff(f.predictions(), model.predict(f.inputs()));
            assertTrue(predictionError <= PREDICTION_TOLERANCE, name + extension + ": predictions differ by " + predictionError);
            System.out.printf("%s%s: max |prediction - Keras| = %.3g%n", name, extension, predictionError);
            if (f.record.has("iterations")) {
                assertNotNull(model.optimizer(), "compiled");
                assertEquals(f.record.get("iterations").asLong(), model.optimizer().iterations(), "optimizer iterations");
            } else {
                assertNull(model.optimizer(), "an uncompiled model stays uncompiled");
            }
            JsonNode next = f.record.get("next_step");
            if (next != null) {
                float[][] x = Fixture.matrix(next.get("x"));
                model.fit(x, Fixture.matrix(next.get("y")), new FitOptions().epochs(1).batchSize(x.length).shuffle(false).verbose(0));
                double stepError = Fixture.maxAbsDiff(Fixture.weights(next.get("weights")), model.getWeights());
                assertTrue(stepError <= STEP_TOLERANCE, name + extension + ": weights after one more step differ by " + stepError);
                System.out.printf("%s%s: max |weight after a step - Keras| = %.3g%n", name, extension, stepError);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void readsTheLayoutOfTfKeras213KerasFiles() {
        Fixture f = Fixture.of("regression_adam");
        try (Sequential model = Sequential.load(Fixture.path("keras_2_13_layout.keras"))) {
            assertTrue(Fixture.maxAbsDiff(f.predictions(), model.predict(f.inputs())) <= PREDICTION_TOLERANCE);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {".keras", ".h5"})
    void readsTheCompileSettings(String extension) {
        try (Sequential m = Sequential.load(Fixture.path("adamw_huber_clipnorm" + extension))) {
            assertEquals("adamw", m.optimizer().name());
            assertEquals(0.003f, ((Number) m.optimizer().config().get("learning_rate")).floatValue(), 1e-9);
            assertEquals(0.01f, ((Number) m.optimizer().config().get("weight_decay")).floatValue(), 1e-9);
            assertEquals(1.0f, ((Number) m.optimizer().config().get("clipnorm")).floatValue(), 1e-9);
            assertEquals("huber", m.loss().name());
            assertEquals(List.of("mse"), m.metricNames());
        }
        try (Sequential m = Sequential.load(Fixture.path("logits_sgd_clipvalue" + extension))) {
            assertTrue(m.loss().fromLogits(), "BinaryCrossentropy(from_logits=True)");
            assertEquals(0.5f, ((Number) m.optimizer().config().get("clipvalue")).floatValue(), 1e-9);
        }
        try (Sequential m = Sequential.load(Fixture.path("binary_sgd_bn_dropout" + extension))) {
            assertEquals(0.9f, ((Number) m.optimizer().config().get("momentum")).floatValue(), 1e-7);
            assertEquals(Boolean.TRUE, m.optimizer().config().get("nesterov"));
            assertEquals(List.of("accuracy"), m.metricNames());
            assertTrue(m.layers().get(0).name().matches("dense_\\d+"), "Keras' layer names are kept: " + m.layers().get(0).name());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"refused_conv2d.keras:Conv2D", "refused_conv2d.h5:Conv2D", "refused_functional.keras:Functional",
            "refused_custom_layer.keras:custom object"})
    void refusesWhatLaminaCannotRunNamingIt(String fileAndWord) {
        String[] parts = fileAndWord.split(":");
        KerasUnsupportedException e = assertThrows(KerasUnsupportedException.class, () -> Sequential.load(Fixture.path(parts[0])));
        assertTrue(e.getMessage().contains(parts[1]), e.getMessage());
        assertTrue(e.getMessage().contains("Dense, Activation, Dropout and BatchNormalization"), "lists what is supported: "
                + e.getMessage());
        assertTrue(e instanceof ModelFileException);
    }
}
