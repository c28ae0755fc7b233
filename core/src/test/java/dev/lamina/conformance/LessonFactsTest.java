package dev.lamina.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lamina.FitOptions;
import dev.lamina.History;
import dev.lamina.Sequential;
import dev.lamina.backend.Backends;
import dev.lamina.layers.Activation;
import dev.lamina.layers.Dense;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Kaggle lesson's facts about a single neuron and about activation layers, as tests run on a
 * backend: each backend module subclasses this with its backend's name.
 */
public abstract class LessonFactsTest {
    /** The backend to run on ("cpu", "cuda", ...). May skip with an assumption. */
    protected abstract String backendName();

    @BeforeEach
    void chooseBackend() {
        Backends.use(backendName());
    }

    @AfterEach
    void restoreDefault() {
        Backends.use("auto");
    }

    @Test
    void aLinearUnitWithWeightTwoAndBiasOneOutputsNineForFour() {
        Dense unit = new Dense(1);
        try (Sequential model = new Sequential(unit)) {
            model.build(1);
            unit.setWeights(new float[][] {{2f}}, new float[] {1f});
            float[][] y = model.predict(new float[][] {{4f}, {0f}, {-1f}});
            assertEquals(9f, y[0][0], 0f);
            assertEquals(1f, y[1][0], 0f);
            assertEquals(-1f, y[2][0], 0f);
            assertEquals(backendName(), model.backend().name());
        }
    }

    @Test
    void denseThenActivationEqualsDenseWithActivation() {
        float[][] kernel = new float[3][8];
        float[] bias = new float[8];
        java.util.Random r = new java.util.Random(3);
        for (float[] row : kernel) {
            for (int j = 0; j < 8; j++) {
                row[j] = (float) r.nextGaussian();
            }
        }
        for (int j = 0; j < 8; j++) {
            bias[j] = (float) r.nextGaussian() * 0.5f;
        }
        float[][] x = new float[37][3];
        for (float[] row : x) {
            for (int j = 0; j < 3; j++) {
                row[j] = (float) r.nextGaussian();
            }
        }
        Dense split = new Dense(8);
        Dense fused = new Dense(8, "relu");
        try (Sequential a = new Sequential(split, new Activation("relu"));
             Sequential b = new Sequential(fused)) {
            a.build(3);
            b.build(3);
            split.setWeights(kernel, bias);
            fused.setWeights(kernel, bias);
            float[][] ya = a.predict(x);
            float[][] yb = b.predict(x);
            for (int i = 0; i < x.length; i++) {
                assertArrayEquals(ya[i], yb[i], 0f, "row " + i);
            }
        }
    }

    @Test
    void theLessonsNetworkTrainsAndReportsOneLossPerEpoch() {
        float[][] x = new float[64][1];
        float[][] y = new float[64][1];
        for (int i = 0; i < 64; i++) {
            x[i][0] = (i - 32) / 16f;
            y[i][0] = 2 * x[i][0] + 1;
        }
        try (Sequential model = new Sequential(new Dense(4, "relu"), new Dense(4, "relu"), new Dense(1))) {
            model.compile("sgd", "mse");
            History history = model.fit(x, y, new FitOptions().epochs(20).verbose(0).seed(1));
            double[] loss = history.get("loss");
            assertEquals(20, loss.length);
            assertEquals(64, model.predict(x).length);
            org.junit.jupiter.api.Assertions.assertTrue(loss[19] < loss[0], "loss should fall: " + java.util.Arrays.toString(loss));
        }
    }
}
