package dev.lamina.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.FitOptions;
import dev.lamina.History;
import dev.lamina.Sequential;
import dev.lamina.callbacks.BatchLogs;
import dev.lamina.callbacks.CSVLogger;
import dev.lamina.callbacks.Callback;
import dev.lamina.callbacks.EarlyStopping;
import dev.lamina.callbacks.LearningRateScheduler;
import dev.lamina.callbacks.ModelCheckpoint;
import dev.lamina.callbacks.ReduceLROnPlateau;
import dev.lamina.callbacks.TerminateOnNaN;
import dev.lamina.layers.Dense;
import dev.lamina.optimizers.SGD;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(OnReferenceBackend.class)
class CallbacksTest {
    @TempDir
    Path dir;

    private static float[][][] line(int rows) {
        float[][] x = SaveLoadTest.data(rows, 2, 3);
        float[][] y = new float[rows][1];
        for (int i = 0; i < rows; i++) {
            y[i][0] = 3 * x[i][0] - x[i][1] + 0.5f;
        }
        return new float[][][] {x, y};
    }

    @Test
    void callbacksSeeTrainEpochAndBatchEventsInOrder() {
        List<String> events = new ArrayList<>();
        Callback recorder = new Callback() {
            @Override
            public void onTrainBegin() {
                events.add("train_begin");
            }

            @Override
            public void onEpochBegin(int epoch) {
                events.add("epoch_begin " + epoch);
            }

            @Override
            public void onBatchEnd(int batch, BatchLogs logs) {
                events.add("batch_end " + batch + " " + logs.get().keySet());
            }

            @Override
            public void onEpochEnd(int epoch, Map<String, Double> logs) {
                events.add("epoch_end " + epoch + " " + logs.keySet());
            }

            @Override
            public void onTrainEnd(Map<String, Double> logs) {
                events.add("train_end");
            }
        };
        float[][][] d = line(20);
        try (Sequential m = new Sequential(new Dense(1))) {
            m.compile("sgd", "mse", "mae");
            m.fit(d[0], d[1], new FitOptions().epochs(2).batchSize(10).validationSplit(0.5).callbacks(recorder).verbose(0));
        }
        assertEquals(List.of("train_begin", "epoch_begin 0", "batch_end 0 [loss, mae]", "epoch_end 0 [loss, mae, val_loss, val_mae]",
                "epoch_begin 1", "batch_end 0 [loss, mae]", "epoch_end 1 [loss, mae, val_loss, val_mae]", "train_end"), events);
    }

    @Test
    void earlyStoppingStopsAndRestoresTheBestEpochsWeights() {
        float[][][] d = line(64);
        float[][][] noisy = line(64);
        for (float[] row : noisy[1]) {
            row[0] += 5; // validation targets shifted: val_loss soon stops improving
        }
        EarlyStopping stop = new EarlyStopping().monitor("val_loss").patience(3).restoreBestWeights(true);
        try (Sequential m = new Sequential(new Dense(1))) {
            m.compile(new SGD(0.1f), "mse");
            History h = m.fit(d[0], d[1], new FitOptions().epochs(200).batchSize(16).validationData(noisy[0], noisy[1])
                    .callbacks(stop).verbose(0).seed(1));
            double[] val = h.get("val_loss");
            assertTrue(val.length < 200, "stopped early after " + val.length + " epochs");
            int best = 0;
            for (int i = 1; i < val.length; i++) {
                if (val[i] < val[best]) {
                    best = i;
                }
            }
            assertEquals(best, stop.bestEpoch());
            assertEquals(val.length - 1, stop.stoppedEpoch());
            assertEquals(stop.stoppedEpoch() - 3, stop.bestEpoch(), "patience 3 after the best epoch");
            double restored = m.evaluate(noisy[0], noisy[1]).get("loss");
            assertEquals(val[best], restored, 1e-6 * val[best], "weights of the best epoch are back");
        }
    }

    @Test
    void reduceLrOnPlateauAndSchedulerChangeTheLearningRate() {
        float[][][] d = line(16);
        try (Sequential m = new Sequential(new Dense(1))) {
            SGD sgd = new SGD(0.1f);
            m.compile(sgd, "mse");
            m.fit(d[0], d[1], new FitOptions().epochs(3).verbose(0)
                    .callbacks(new LearningRateScheduler((epoch, lr) -> 0.05 / (epoch + 1))));
            assertEquals(0.05f / 3, sgd.learningRate(), 1e-7);
            m.fit(d[0], d[1], new FitOptions().epochs(6).verbose(0)
                    .callbacks(new ReduceLROnPlateau().monitor("loss").patience(1).minDelta(1e9).factor(0.5)));
            assertTrue(sgd.learningRate() < 0.05f / 3 / 4, "halved at least three times: " + sgd.learningRate());
        }
    }

    @Test
    void terminateOnNanStopsAtTheFirstBadBatch() {
        float[][][] d = line(64);
        TerminateOnNaN guard = new TerminateOnNaN();
        try (Sequential m = new Sequential(new Dense(8, "relu"), new Dense(1))) {
            m.compile(new SGD(1e6f), "mse");
            History h = m.fit(d[0], d[1], new FitOptions().epochs(50).batchSize(8).callbacks(guard).verbose(0).seed(3));
            assertTrue(guard.terminatedBatch() >= 0);
            assertTrue(h.epochs() < 50);
        }
    }

    @Test
    void csvLoggerAndCheckpointWriteTheirFiles() throws Exception {
        float[][][] d = line(32);
        Path csv = dir.resolve("log.csv");
        Path best = dir.resolve("best.safetensors");
        try (Sequential m = new Sequential(new Dense(1))) {
            m.compile("sgd", "mse", "mae");
            m.fit(d[0], d[1], new FitOptions().epochs(3).validationSplit(0.25).verbose(0)
                    .callbacks(new CSVLogger(csv), new ModelCheckpoint(best).saveBestOnly(true)));
        }
        List<String> lines = Files.readAllLines(csv);
        assertEquals("epoch,loss,mae,val_loss,val_mae", lines.get(0));
        assertEquals(4, lines.size());
        assertTrue(lines.get(3).startsWith("2,"));
        try (Sequential restored = Sequential.load(best)) {
            assertEquals(2, restored.inputWidth());
        }
    }

    @Test
    void validationSplitTakesTheLastRowsBeforeShuffling() {
        float[][][] d = line(10);
        try (Sequential m = new Sequential(new Dense(1))) {
            m.compile("sgd", "mse");
            m.build(2);
            History h = m.fit(d[0], d[1], new FitOptions().epochs(1).validationSplit(0.3).shuffle(true).verbose(0));
            // Keras: split_at = ceil(10 · 0.7) = 7; the validation rows are 7, 8, 9
            float[][] vx = java.util.Arrays.copyOfRange(d[0], 7, 10);
            float[][] vy = java.util.Arrays.copyOfRange(d[1], 7, 10);
            assertEquals(h.get("val_loss")[0], m.evaluate(vx, vy).get("loss"), 1e-6);
        }
    }
}
