package dev.lamina.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.FitOptions;
import dev.lamina.Sequential;
import dev.lamina.backend.Backends;
import dev.lamina.callbacks.Callback;
import dev.lamina.conformance.TrainingBehaviourTest;
import dev.lamina.data.CsvReader;
import dev.lamina.data.Dataset;
import dev.lamina.layers.Dense;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.Test;

/**
 * A whole {@code fit} on CUDA reaches a steady state that makes no {@code cuMemAlloc}: after the
 * first epoch (buffers for the full and the last partial batch, optimizer state, scratch), the
 * later epochs run from the pool alone.
 */
@DisplayNameGeneration(CudaModeDisplayNames.class)
class CudaFitAllocationTest {

    @AfterEach
    void restoreDefault() {
        Backends.use("auto");
    }

    @Test
    void laterEpochsMakeNoDriverAllocation() {
        CudaTestSupport.assumeUsable();
        Backends.use("cuda");
        Dataset d = CsvReader.read(TrainingBehaviourTest.data("digits_8x8.csv"), "digit").shuffled(3).head(300);
        List<Long> perEpoch = new ArrayList<>();
        Callback counter = new Callback() {
            @Override
            public void onEpochEnd(int epoch, Map<String, Double> logs) {
                perEpoch.add(((CudaBackend) model().backend()).memoryStats().driverAllocations());
            }
        };
        try (Sequential model = new Sequential(new Dense(32, "relu"), new Dense(10, "softmax"))) {
            model.compile("adam", "sparse_categorical_crossentropy", "accuracy");
            // 300 rows in batches of 32: nine full batches and a partial one of 12 every epoch
            model.fit(d.x(), d.y(), new FitOptions().epochs(4).batchSize(32).validationSplit(0.2).verbose(0).seed(1)
                    .callbacks(counter));
        }
        assertEquals(4, perEpoch.size());
        assertTrue(perEpoch.get(0) > 0);
        for (int e = 1; e < perEpoch.size(); e++) {
            assertEquals(perEpoch.get(0), perEpoch.get(e), "cuMemAlloc calls by the end of epoch " + (e + 1) + ": " + perEpoch);
        }
    }
}
