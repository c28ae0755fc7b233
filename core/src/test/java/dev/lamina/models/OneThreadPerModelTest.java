package dev.lamina.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.FitOptions;
import dev.lamina.History;
import dev.lamina.LaminaException;
import dev.lamina.Sequential;
import dev.lamina.callbacks.BatchLogs;
import dev.lamina.callbacks.Callback;
import dev.lamina.layers.Dense;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A model is used by one thread at a time, and the code enforces it: while one thread trains a
 * model, any use of that model from another thread fails with a clear message (and changes
 * nothing), rather than corrupting the training run. The training thread itself may use the model
 * from its callbacks, and any thread may cancel the run with stopTraining().
 */
class OneThreadPerModelTest {
    @Test
    void anotherThreadCannotUseAModelWhileItTrains() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Callback pause = new Callback() {
            @Override
            public void onBatchEnd(int batch, BatchLogs logs) {
                if (batch == 0) {
                    model().getWeights(); // the training thread itself may re-enter
                    inside.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        float[][] x = SaveLoadTest.data(32, 3, 1);
        float[][] y = SaveLoadTest.data(32, 1, 2);
        Sequential m = new Sequential(new Dense(4, "relu"), new Dense(1));
        m.build(3, new dev.lamina.backend.reference.ReferenceBackend());
        m.compile("sgd", "mse");
        CompletableFuture<History> training = CompletableFuture.supplyAsync(
                () -> m.fit(x, y, new FitOptions().epochs(2).batchSize(8).verbose(0).callbacks(pause)));
        assertTrue(inside.await(30, TimeUnit.SECONDS));
        try {
            List<Consumer<Sequential>> uses = List.of(s -> s.predict(x), s -> s.evaluate(x, y), Sequential::getWeights,
                    s -> s.fit(x, y, new FitOptions().verbose(0)), Sequential::close, s -> s.compile("adam", "mse"));
            for (Consumer<Sequential> use : uses) {
                LaminaException e = assertThrows(LaminaException.class, () -> use.accept(m));
                assertTrue(e.getMessage().contains("in use by thread") && e.getMessage().contains("one thread at a time"),
                        e.getMessage());
            }
            m.stopTraining();      // the one call another thread may make: cancel the run
        } finally {
            release.countDown();
        }
        assertEquals(1, training.get(30, TimeUnit.SECONDS).epochs(), "cancelled in the first epoch");
        assertEquals(32, m.predict(x).length, "free again once fit returns");
        m.close();
    }
}
