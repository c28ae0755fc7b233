package dev.lamina.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.FitOptions;
import dev.lamina.History;
import dev.lamina.Sequential;
import dev.lamina.backend.Backends;
import dev.lamina.layers.Dense;
import dev.lamina.optimizers.SGD;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The distributed fit against a single machine's, where the math says they must agree. */
class ExactnessTest {

    private static Sequential model(String optimizer) {
        Sequential m = new Sequential(new Dense(16, "relu"), new Dense(1));
        m.setSeed(7);
        if (optimizer.equals("sgd")) {
            m.compile(new SGD(0.1f), "mse", "mae");
        } else {
            m.compile(optimizer, "mse", "mae");
        }
        m.build(8, Backends.get("cpu"));
        return m;
    }

    /** An independent copy of a model, to train on one machine. */
    private static Sequential copy(Sequential m) {
        return ModelBytes.load(ModelBytes.of(m), Backends.get("cpu"));
    }

    @Test
    void oneWorkerIsSingleMachineFitBitForBit() {
        float[][] x = SparkTests.gaussian(200, 8, 1);
        float[][] y = SparkTests.target(x);
        try (Sequential template = model("adam"); Sequential single = copy(template)) {
            History expected = single.fit(x, y, new FitOptions().epochs(3).batchSize(32).shuffle(false).verbose(0));
            // syncEvery 2: every epoch takes several rounds, each through Spark and back
            LaminaModel fitted = new LaminaEstimator(template).setNumWorkers(1).setBatchSize(32).setSyncEvery(2).setEpochs(3)
                    .setShuffle(false).setBackend("cpu").fit(SparkTests.frame(x, y));
            try (Sequential trained = fitted.sequential()) {
                assertSameWeights(single.getWeights(), trained.getWeights());
            }
            History history = fitted.history();
            for (String key : List.of("loss", "mae")) {
                assertArrayEquals(expected.get(key), history.get(key), 1e-6, key);
            }
        }
    }

    @Test
    void oneWorkerShufflingFollowsItsPlannedOrder() {
        float[][] x = SparkTests.gaussian(150, 8, 2);
        float[][] y = SparkTests.target(x);
        long seed = 11;
        try (Sequential template = model("adam"); Sequential single = copy(template)) {
            ShardPlan plan = new ShardPlan(1, 32, seed);
            for (int epoch = 0; epoch < 2; epoch++) {
                int[] order = plan.epochOrder(x.length, epoch, 0, true);
                float[][] xs = new float[x.length][];
                float[][] ys = new float[x.length][];
                for (int i = 0; i < order.length; i++) {
                    xs[i] = x[order[i]];
                    ys[i] = y[order[i]];
                }
                single.fit(xs, ys, new FitOptions().epochs(1).batchSize(32).shuffle(false).verbose(0));
            }
            LaminaModel fitted = new LaminaEstimator(template).setNumWorkers(1).setBatchSize(32).setSyncEvery(3).setEpochs(2)
                    .setSeed(seed).setBackend("cpu").fit(SparkTests.frame(x, y));
            try (Sequential trained = fitted.sequential()) {
                assertSameWeights(single.getWeights(), trained.getWeights());
            }
        }
    }

    @Test
    void fourWorkersWithPlainSgdTakeTheGlobalBatchStep() {
        // 128 rows, global batch 64: two rounds, each one SGD step on the 64 rows of all four shards together
        float[][] x = SparkTests.gaussian(128, 8, 3);
        float[][] y = SparkTests.target(x);
        try (Sequential template = model("sgd"); Sequential single = copy(template)) {
            single.fit(x, y, new FitOptions().epochs(1).batchSize(64).shuffle(false).verbose(0));
            LaminaModel fitted = new LaminaEstimator(template).setNumWorkers(4).setBatchSize(64).setSyncEvery(1).setEpochs(1)
                    .setShuffle(false).setBackend("cpu").fit(SparkTests.frame(x, y));
            try (Sequential trained = fitted.sequential()) {
                List<float[][]> expected = single.getWeights();
                List<float[][]> actual = trained.getWeights();
                float[][] start = template.getWeights().get(0);
                assertTrue(Math.abs(start[0][0] - expected.get(0)[0][0]) > 1e-4, "the step must move the weights");
                for (int i = 0; i < expected.size(); i++) {
                    for (int r = 0; r < expected.get(i).length; r++) {
                        assertArrayEquals(expected.get(i)[r], actual.get(i)[r], 2e-6f, "parameter " + i + " row " + r);
                    }
                }
            }
        }
    }

    @Test
    void validationRowsAreEvaluatedWithTheEpochsAveragedModel() {
        float[][] x = SparkTests.gaussian(300, 8, 9);
        float[][] y = SparkTests.target(x);
        long seed = 13;
        double fraction = 0.25;
        try (Sequential template = model("adam")) {
            LaminaModel fitted = new LaminaEstimator(template).setNumWorkers(2).setBatchSize(32).setSyncEvery(3).setEpochs(2)
                    .setSeed(seed).setValidationFraction(fraction).setBackend("cpu").fit(SparkTests.frame(x, y));
            // the rows the plan holds out, evaluated with the final weights: the last epoch's val_ values
            ShardPlan plan = new ShardPlan(2, 32, seed);
            List<float[]> vx = new java.util.ArrayList<>();
            List<float[]> vy = new java.util.ArrayList<>();
            for (int r = 0; r < x.length; r++) {
                if (plan.isValidation(r, fraction)) {
                    vx.add(x[r]);
                    vy.add(y[r]);
                }
            }
            assertTrue(vx.size() > 50 && vx.size() < 100, "about a quarter of 300 rows: " + vx.size());
            History history = fitted.history();
            try (Sequential trained = fitted.sequential()) {
                java.util.Map<String, Double> expected = trained.evaluate(vx.toArray(new float[0][]), vy.toArray(new float[0][]));
                assertEquals(expected.get("loss"), history.last("val_loss"), 1e-5);
                assertEquals(expected.get("mae"), history.last("val_mae"), 1e-5);
            }
            assertEquals(List.of("loss", "mae", "val_loss", "val_mae"), List.copyOf(history.keys()));
        }
    }

    static void assertSameWeights(List<float[][]> expected, List<float[][]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            for (int r = 0; r < expected.get(i).length; r++) {
                float[] e = expected.get(i)[r];
                float[] a = actual.get(i)[r];
                for (int c = 0; c < e.length; c++) {
                    assertEquals(Float.floatToIntBits(e[c]), Float.floatToIntBits(a[c]),
                            "parameter " + i + " [" + r + "][" + c + "]: " + e[c] + " vs " + a[c]);
                }
            }
        }
    }
}
