package dev.lamina.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lamina.FitOptions;
import dev.lamina.History;
import dev.lamina.Sequential;
import dev.lamina.backend.Backend;
import dev.lamina.layers.BatchNormalization;
import dev.lamina.layers.Dense;
import dev.lamina.layers.Dropout;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One seeded training run and what it produced, for the determinism and concurrency tests. The
 * model is large enough that the CPU backend splits its products (256×256×64 and up) and its
 * element-wise ops and Adam updates (256×256 = 65,536 elements) across threads.
 */
final class TrainingRun {
    static final int INPUTS = 64;
    static final int WIDTH = 256;

    final Map<String, double[]> history;
    final List<float[][]> weights;
    final float[][] predictions;

    private TrainingRun(Map<String, double[]> history, List<float[][]> weights, float[][] predictions) {
        this.history = history;
        this.weights = weights;
        this.predictions = predictions;
    }

    static float[][] matrix(int rows, int cols, long seed) {
        Random r = new Random(seed);
        float[][] m = new float[rows][cols];
        for (float[] row : m) {
            for (int j = 0; j < cols; j++) {
                row[j] = (float) r.nextGaussian();
            }
        }
        return m;
    }

    /** Trains a fresh model built on {@code backend} with {@code seed}: Dense, dropout, batch norm, Adam. */
    static TrainingRun train(Backend backend, long seed, int epochs) {
        float[][] x = matrix(600, INPUTS, seed);
        float[][] y = new float[600][1];
        for (int i = 0; i < 600; i++) {
            y[i][0] = x[i][0] * x[i][1] - 0.5f * x[i][2] + (float) Math.sin(x[i][3]);
        }
        try (Sequential model = new Sequential(new Dense(WIDTH, "relu"), new Dropout(0.2), new BatchNormalization(),
                new Dense(WIDTH, "gelu"), new Dense(1))) {
            model.setSeed(seed);
            model.build(INPUTS, backend);
            model.compile("adam", "mse", "mae");
            History h = model.fit(x, y, new FitOptions().epochs(epochs).batchSize(WIDTH).validationSplit(0.2)
                    .verbose(0).seed(seed + 1));
            return new TrainingRun(h.asMap(), model.getWeights(), model.predict(matrix(7, INPUTS, seed + 2)));
        }
    }

    /** Bit for bit: every history value, weight and prediction. */
    void assertIdenticalTo(TrainingRun other, String what) {
        assertEquals(history.keySet(), other.history.keySet(), what);
        history.forEach((k, v) -> assertArrayEquals(v, other.history.get(k), 0.0, what + ": history " + k));
        assertEquals(weights.size(), other.weights.size());
        for (int i = 0; i < weights.size(); i++) {
            for (int r = 0; r < weights.get(i).length; r++) {
                assertArrayEquals(weights.get(i)[r], other.weights.get(i)[r], 0f, what + ": weight " + i + " row " + r);
            }
        }
        for (int r = 0; r < predictions.length; r++) {
            assertArrayEquals(predictions[r], other.predictions[r], 0f, what + ": prediction " + r);
        }
    }
}
