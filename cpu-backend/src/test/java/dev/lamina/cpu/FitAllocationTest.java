package dev.lamina.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lamina.FitOptions;
import dev.lamina.PreparedData;
import dev.lamina.Sequential;
import dev.lamina.layers.BatchNormalization;
import dev.lamina.layers.Dense;
import dev.lamina.layers.Dropout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Whole {@code fit} calls on prepared rows, as a training loop or the JMH {@code trainStep}
 * benchmark makes them, allocate under 64 bytes per training step once warm: the steps allocate
 * nothing and fit's own bookkeeping (history, logs) is spread over the epoch's steps. Counted with
 * HotSpot's per-thread allocation counter over the calling thread and the backend's workers, not timed.
 */
class FitAllocationTest {
    static final int STEPS = 50;
    static final long BYTES_PER_STEP = 64;

    /** The course's lesson network; one with batch norm and dropout; a softmax classifier (its loss takes logs). */
    private static Sequential make(String model) {
        switch (model) {
            case "lesson": return new Sequential(new Dense(4, "relu"), new Dense(4, "relu"), new Dense(1));
            case "regularised": return new Sequential(new Dense(64, "relu"), new BatchNormalization(), new Dropout(0.2), new Dense(1));
            default: return new Sequential(new Dense(16, "relu"), new Dense(10, "softmax"));
        }
    }

    @ParameterizedTest(name = "model {0}, {1} thread(s), vector={2}")
    @CsvSource({"lesson, 1, true", "lesson, 1, false", "lesson, 2, true", "regularised, 1, true", "regularised, 1, false",
            "regularised, 2, true", "regularised, 2, false", "classifier, 1, true", "classifier, 2, false"})
    void fitOnPreparedRowsAllocatesUnder64BytesPerStep(String model, int threads, boolean vector) {
        assumeTrue(AllocationMeter.available(), "needs HotSpot's allocation counter");
        CpuBackend cpu = new CpuBackend(vector, threads);
        int batch = "classifier".equals(model) ? 128 : 32;      // 128 × 10 classes: model (c)'s loss shapes
        float[][] x = TrainingRun.matrix(STEPS * batch, 8, 1);
        float[][] y = TrainingRun.matrix(STEPS * batch, 1, 2);
        for (float[] row : y) {
            row[0] = "classifier".equals(model) ? Math.floorMod((int) (row[0] * 4), 10) : row[0];
        }
        try (Sequential net = make(model)) {
            net.setSeed(3);
            net.build(8, cpu);
            switch (model) {
                case "lesson": net.compile("sgd", "mse", "mae"); break;
                case "regularised": net.compile("adam", "mse", "mae"); break;
                default: net.compile("adam", "sparse_categorical_crossentropy", "accuracy"); break;
            }
            FitOptions options = new FitOptions().epochs(1).batchSize(batch).verbose(0);
            try (PreparedData rows = net.prepare(x, y)) {
                // warm up until C2 has compiled the loop: a window of fits under the bound, or give up
                net.fit(rows, options);         // starts the workers
                AllocationMeter meter = AllocationMeter.forCallerAndWorkers();
                double perStep = Double.NaN;
                for (int window = 0; window < 300 && !(perStep < BYTES_PER_STEP); window++) {
                    long before = meter.caller() + meter.workers();
                    for (int i = 0; i < 10; i++) {
                        net.fit(rows, options);
                    }
                    perStep = (meter.caller() + meter.workers() - before) / (10.0 * STEPS);
                }
                assertTrue(perStep < BYTES_PER_STEP, "bytes allocated per training step by fit on prepared rows: " + perStep);
            }
        }
    }
}
