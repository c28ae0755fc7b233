package dev.lamina.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lamina.backend.Backend;
import dev.lamina.backend.Backends;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Models on one backend instance, trained from different threads at once, do not interfere: each
 * thread's results are bit-identical to the same model trained alone. This is the contract
 * {@code Sequential}'s documentation states: one model per thread at a time, any number of models
 * per backend. (The CPU backend serialises its worker pool between callers and gives each calling
 * thread its own product buffers.)
 */
class ConcurrentModelsTest {
    private static final long[] SEEDS = {7, 8, 9};

    @Test
    void modelsTrainedAtOnceOnTheSharedBackendMatchModelsTrainedAlone() throws Exception {
        Backend shared = Backends.get("cpu");
        List<TrainingRun> alone = new ArrayList<>();
        for (long seed : SEEDS) {
            alone.add(TrainingRun.train(shared, seed, 2));
        }
        ExecutorService threads = Executors.newFixedThreadPool(SEEDS.length);
        try {
            for (int round = 0; round < 2; round++) {
                CyclicBarrier start = new CyclicBarrier(SEEDS.length);
                List<Future<TrainingRun>> together = new ArrayList<>();
                for (long seed : SEEDS) {
                    together.add(threads.submit(() -> {
                        start.await();
                        return TrainingRun.train(shared, seed, 2);
                    }));
                }
                for (int i = 0; i < SEEDS.length; i++) {
                    together.get(i).get(5, TimeUnit.MINUTES).assertIdenticalTo(alone.get(i),
                            "seed " + SEEDS[i] + " trained beside others, round " + round);
                }
            }
        } finally {
            threads.shutdownNow();
        }
        assertEquals("cpu", shared.name());
    }
}
