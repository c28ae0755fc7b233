package dev.lamina.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.LaminaException;
import dev.lamina.Sequential;
import dev.lamina.layers.Dense;
import dev.lamina.layers.Dropout;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Spark retries a failed task; the retry must recompute exactly what the failed attempt would have. */
class FaultTest {

    @AfterEach
    void noMoreFaults() {
        FaultInjection.failFirstAttemptOf = null;
    }

    private static LaminaModel fit(Dataset<Row> df) {
        // dropout and shuffling: the retry must also redraw the same masks and the same order
        Sequential net = new Sequential(new Dense(16, "relu"), new Dropout(0.2), new Dense(1));
        net.compile("adam", "mse");
        return new LaminaEstimator(net).setNumWorkers(4).setBatchSize(32).setSyncEvery(2).setEpochs(2).setSeed(5)
                .setBackend("cpu").fit(df);
    }

    @Test
    void aTaskThatFailsOnItsFirstAttemptGivesIdenticalWeights() {
        float[][] x = SparkTests.gaussian(160, 8, 4);
        Dataset<Row> df = SparkTests.frame(x, SparkTests.target(x));
        LaminaModel clean = fit(df);
        int before = FaultInjection.INJECTED.get();
        FaultInjection.failFirstAttemptOf = "1/1/2";        // epoch 1, round 1, shard 2
        LaminaModel retried = fit(df);
        assertEquals(before + 1, FaultInjection.INJECTED.get(), "the fault must have struck once");
        try (Sequential a = clean.sequential(); Sequential b = retried.sequential()) {
            ExactnessTest.assertSameWeights(a.getWeights(), b.getWeights());
        }
        assertEquals(clean.history().asMap().get("loss")[1], retried.history().asMap().get("loss")[1]);
    }

    @Test
    void aBadRowFailsTheFitWithOurMessageNamingTheRow() {
        float[][] x = SparkTests.gaussian(100, 8, 6);
        x[77][3] = Float.NaN;
        Dataset<Row> df = SparkTests.frame(x, SparkTests.target(x));
        long rounds = DistributedTrainer.ROUNDS_STARTED.get();
        LaminaException e = assertThrows(LaminaException.class, () -> fit(df));
        assertTrue(e.getMessage().startsWith("Row 77 "), e.getMessage());
        assertTrue(e.getMessage().contains("NaN at position 3 of its features"), e.getMessage());
        assertEquals(rounds, DistributedTrainer.ROUNDS_STARTED.get(), "no round may start on bad data");
    }
}
