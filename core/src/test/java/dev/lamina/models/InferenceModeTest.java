package dev.lamina.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.lamina.FitOptions;
import dev.lamina.Sequential;
import dev.lamina.layers.BatchNormalization;
import dev.lamina.layers.Dense;
import dev.lamina.layers.Dropout;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Dropout is off and batch normalisation uses its moving statistics in predict and evaluate. */
@ExtendWith(OnReferenceBackend.class)
class InferenceModeTest {
    @Test
    void dropoutIsTheIdentityInPredictAndEvaluate() {
        float[][] x = SaveLoadTest.data(20, 4, 1);
        float[][] y = SaveLoadTest.data(20, 3, 2);
        Dense withDropout = new Dense(3);
        Dense alone = new Dense(3);
        try (Sequential a = new Sequential(withDropout, new Dropout(0.5));
             Sequential b = new Sequential(alone)) {
            a.build(4);
            b.build(4);
            alone.setWeights(withDropout.getKernel(), withDropout.getBias());
            float[][] pa = a.predict(x);
            float[][] pb = b.predict(x);
            for (int i = 0; i < x.length; i++) {
                assertArrayEquals(pb[i], pa[i], 0f);
            }
            a.compile("sgd", "mse");
            b.compile("sgd", "mse");
            assertEquals(b.evaluate(x, y).get("loss"), a.evaluate(x, y).get("loss"), 0.0);
        }
    }

    @Test
    void dropoutDropsInTraining() {
        float[][] x = SaveLoadTest.data(64, 4, 1);
        float[][] y = SaveLoadTest.data(64, 1, 2);
        try (Sequential a = new Sequential(new Dense(8), new Dropout(0.5), new Dense(1));
             Sequential b = new Sequential(new Dense(8), new Dense(1))) {
            a.setSeed(3);
            b.setSeed(3);
            a.compile("sgd", "mse");
            b.compile("sgd", "mse");
            double la = a.fit(x, y, new FitOptions().epochs(1).verbose(0).seed(1)).get("loss")[0];
            double lb = b.fit(x, y, new FitOptions().epochs(1).verbose(0).seed(1)).get("loss")[0];
            assertNotEquals(lb, la, "the same weights and batches give another loss with dropout on");
        }
    }

    @Test
    void batchNormalizationInferenceUsesTheMovingStatistics() {
        BatchNormalization bn = new BatchNormalization();
        try (Sequential model = new Sequential(bn)) {
            model.build(2);
            float[] gamma = {2f, 0.5f};
            float[] beta = {1f, -1f};
            float[] mean = {3f, -2f};
            float[] var = {4f, 0.25f};
            bn.setWeights(List.of(new float[][] {gamma}, new float[][] {beta}, new float[][] {mean}, new float[][] {var}));
            float[][] x = {{5f, 0f}, {3f, -2f}};
            float[][] y = model.predict(x);
            for (int r = 0; r < 2; r++) {
                for (int c = 0; c < 2; c++) {
                    double expected = gamma[c] * (x[r][c] - mean[c]) / Math.sqrt(var[c] + 1e-3) + beta[c];
                    assertEquals(expected, y[r][c], 1e-5);
                }
            }
        }
    }

    @Test
    void trainingUpdatesTheMovingStatisticsWithMomentum() {
        BatchNormalization bn = new BatchNormalization();
        float[][] x = {{1f}, {3f}};                       // batch mean 2, biased variance 1
        try (Sequential model = new Sequential(bn)) {
            model.compile("sgd", "mse");
            model.fit(x, new float[][] {{0f}, {0f}}, new FitOptions().epochs(1).batchSize(2).verbose(0));
            List<float[][]> w = bn.getWeights();
            assertEquals(0.01 * 2, w.get(2)[0][0], 1e-6, "moving_mean = 0.99·0 + 0.01·2");
            assertEquals(0.99 + 0.01 * 1, w.get(3)[0][0], 1e-6, "moving_variance = 0.99·1 + 0.01·1");
        }
    }
}
