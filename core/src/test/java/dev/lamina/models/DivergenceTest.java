package dev.lamina.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.FitOptions;
import dev.lamina.History;
import dev.lamina.Sequential;
import dev.lamina.TrainingDivergedException;
import dev.lamina.callbacks.BatchLogs;
import dev.lamina.callbacks.Callback;
import dev.lamina.callbacks.LearningRateScheduler;
import dev.lamina.callbacks.TerminateOnNaN;
import dev.lamina.layers.BatchNormalization;
import dev.lamina.layers.Dense;
import dev.lamina.optimizers.Adam;
import dev.lamina.optimizers.SGD;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A loss that becomes NaN or infinite stops fit with {@link TrainingDivergedException} naming the
 * epoch and batch, and the model keeps its last good weights and optimizer state; TerminateOnNaN
 * keeps Keras' behaviour (stops quietly after the bad batch).
 */
@ExtendWith(OnReferenceBackend.class)
class DivergenceTest {
    private static float[][][] line(int rows) {
        float[][] x = SaveLoadTest.data(rows, 3, 7);
        float[][] y = new float[rows][1];
        for (int i = 0; i < rows; i++) {
            y[i][0] = 2 * x[i][0] - x[i][1] + 0.5f * x[i][2] + 1;
        }
        return new float[][][] {x, y};
    }

    /** Records the weights at the end of each epoch. */
    private static final class WeightsAtEpochEnd extends Callback {
        final List<List<float[][]>> weights = new ArrayList<>();

        @Override
        public void onEpochEnd(int epoch, Map<String, Double> logs) {
            weights.add(model().getWeights());
        }
    }

    private static void assertSameWeights(List<float[][]> expected, List<float[][]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            for (int r = 0; r < expected.get(i).length; r++) {
                assertArrayEquals(expected.get(i)[r], actual.get(i)[r], 0f, "weight " + i + " row " + r);
            }
        }
    }

    private static void assertFinite(List<float[][]> weights) {
        for (float[][] w : weights) {
            for (float[] row : w) {
                for (float v : row) {
                    assertTrue(Float.isFinite(v), "weight " + v);
                }
            }
        }
    }

    @Test
    void aLossThatBlowsUpInTheFirstEpochStopsFitAndKeepsTheInitialWeights() {
        float[][][] d = line(64);
        try (Sequential m = new Sequential(new Dense(8, "relu"), new Dense(1))) {
            m.setSeed(1);
            m.build(3);
            m.compile(new SGD(1e12f), "mse");
            List<float[][]> initial = m.getWeights();
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                    () -> m.fit(d[0], d[1], new FitOptions().epochs(5).batchSize(8).verbose(0).seed(3)));
            assertEquals(0, e.epoch());
            assertTrue(e.batch() >= 0 && e.batch() < 8, "batch " + e.batch());
            assertTrue(Double.isNaN(e.loss()) || Double.isInfinite(e.loss()));
            String msg = e.getMessage();
            assertTrue(msg.contains("epoch 1/5") && msg.contains("at batch " + (e.batch() + 1) + "/8"), msg);
            assertTrue(msg.contains("learning rate"), msg);
            assertSameWeights(initial, m.getWeights());
            assertEquals(0, m.optimizer().iterations(), "the optimizer starts afresh");
            assertEquals(0, e.history().epochs());
        }
    }

    @Test
    void aLaterBlowUpRestoresTheWeightsAndOptimizerStateOfTheLastGoodEpoch() {
        float[][][] d = line(64);
        WeightsAtEpochEnd recorder = new WeightsAtEpochEnd();
        // a sane rate for three epochs, then one that diverges
        LearningRateScheduler schedule = new LearningRateScheduler((epoch, lr) -> epoch < 3 ? 0.01 : 1e30);
        try (Sequential m = new Sequential(new Dense(8, "tanh"), new BatchNormalization(), new Dense(1))) {
            m.setSeed(2);
            m.compile(new Adam(0.01f), "mse");
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                    () -> m.fit(d[0], d[1], new FitOptions().epochs(10).batchSize(16).verbose(0).seed(4)
                            .callbacks(recorder, schedule)));
            assertEquals(3, e.epoch(), e.getMessage());
            assertTrue(e.getMessage().contains("epoch 4/10") && e.getMessage().contains("end of epoch 3"), e.getMessage());
            assertEquals(3, recorder.weights.size());
            assertSameWeights(recorder.weights.get(2), m.getWeights());
            assertFinite(m.getWeights());
            assertEquals(3 * 4, m.optimizer().iterations(), "iterations roll back to the end of epoch 3");
            assertEquals(3, e.history().epochs());
            // the restored state trains on at a sane rate: weights and Adam's moments are finite
            m.optimizer().setLearningRate(0.01f);
            History h = m.fit(d[0], d[1], new FitOptions().epochs(2).batchSize(16).verbose(0).seed(5));
            assertTrue(Double.isFinite(h.last("loss")), h.toString());
        }
    }

    @Test
    void whenACallbackHasReadTheLossFitStopsAtTheBadBatch() {
        float[][][] d = line(64);
        List<Integer> batchesSeen = new ArrayList<>();
        Callback reader = new Callback() {      // reads the running loss every batch, as a progress bar does
            @Override
            public void onBatchEnd(int batch, BatchLogs logs) {
                batchesSeen.add(batch);
                logs.get();
            }
        };
        try (Sequential m = new Sequential(new Dense(8, "relu"), new Dense(1))) {
            m.setSeed(5);
            m.compile(new SGD(1e12f), "mse");
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                    () -> m.fit(d[0], d[1], new FitOptions().epochs(2).batchSize(4).verbose(0).seed(3).callbacks(reader)));
            assertTrue(e.batch() < 15, "diverges early in the 16-batch epoch: " + e.batch());
            assertEquals(e.batch(), batchesSeen.get(batchesSeen.size() - 1), "no batch runs after the bad one");
        }
    }

    @Test
    void weightsThatTurnNonFiniteWhileTheLossIsFiniteAreCaughtToo() {
        float[][][] d = line(32);
        WeightsAtEpochEnd recorder = new WeightsAtEpochEnd();
        // stands for an overflowing gradient: the last batch of epoch 2 leaves an infinite weight
        Callback poison = new Callback() {
            private int epoch;

            @Override
            public void onEpochBegin(int epoch) {
                this.epoch = epoch;
            }

            @Override
            public void onBatchEnd(int batch, BatchLogs logs) {
                if (epoch == 1 && batch == 3) {
                    List<float[][]> w = model().getWeights();
                    w.get(0)[0][0] = Float.POSITIVE_INFINITY;
                    model().setWeights(w);
                }
            }
        };
        try (Sequential m = new Sequential(new Dense(4, "relu"), new Dense(1))) {
            m.setSeed(7);
            m.compile("sgd", "mse");
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                    () -> m.fit(d[0], d[1], new FitOptions().epochs(4).batchSize(8).verbose(0).seed(1)
                            .callbacks(recorder, poison)));
            assertEquals(1, e.epoch());
            assertEquals(-1, e.batch());
            assertTrue(e.getMessage().contains("weights or optimizer state became NaN or infinite"), e.getMessage());
            assertSameWeights(recorder.weights.get(0), m.getWeights());
        }
    }

    @Test
    void nonFiniteWeightsBeforeTrainingAreRefused() {
        float[][][] d = line(16);
        try (Sequential m = new Sequential(new Dense(1))) {
            m.build(3);
            m.compile("sgd", "mse");
            List<float[][]> w = m.getWeights();
            w.get(1)[0][0] = Float.NaN;
            m.setWeights(w);
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                    () -> m.fit(d[0], d[1], new FitOptions().epochs(1).verbose(0)));
            assertTrue(e.getMessage().contains("before training starts"), e.getMessage());
        }
    }

    @Test
    void terminateOnNanStopsQuietlyAfterTheBadBatchAsKerasDoes() {
        float[][][] d = line(64);
        TerminateOnNaN guard = new TerminateOnNaN();
        List<Integer> batchesSeen = new ArrayList<>();
        Callback counter = new Callback() {
            @Override
            public void onBatchEnd(int batch, BatchLogs logs) {
                batchesSeen.add(batch);
            }
        };
        try (Sequential m = new Sequential(new Dense(8, "relu"), new Dense(1))) {
            m.setSeed(6);
            m.compile(new SGD(1e6f), "mse");
            History h = m.fit(d[0], d[1], new FitOptions().epochs(5).batchSize(8).verbose(0).seed(3)
                    .callbacks(guard, counter));
            int bad = guard.terminatedBatch();
            assertTrue(bad >= 0);
            assertEquals(1, h.epochs(), "the epoch of the bad batch is recorded, then training stops");
            assertTrue(!Double.isFinite(h.last("loss")), h.toString());
            assertEquals(bad, batchesSeen.get(batchesSeen.size() - 1), "no batch runs after the bad one");
        }
    }
}
