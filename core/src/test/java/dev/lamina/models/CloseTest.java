package dev.lamina.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.FitOptions;
import dev.lamina.LaminaException;
import dev.lamina.Sequential;
import dev.lamina.backend.IndexStorage;
import dev.lamina.backend.Storage;
import dev.lamina.backend.Tensor;
import dev.lamina.backend.reference.ReferenceBackend;
import dev.lamina.layers.BatchNormalization;
import dev.lamina.layers.Dense;
import dev.lamina.layers.Dropout;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** close() gives back every storage a model allocated, and any later use fails with a clear message. */
@ExtendWith(OnReferenceBackend.class)
class CloseTest {
    @TempDir
    Path dir;

    /** The reference backend, counting the storages that are allocated and not yet released. */
    static class CountingBackend extends ReferenceBackend {
        int live;
        int liveIndices;

        @Override
        public Storage allocate(long size) {
            live++;
            return super.allocate(size);
        }

        @Override
        public IndexStorage allocateIndices(int size) {
            liveIndices++;
            return super.allocateIndices(size);
        }

        @Override
        public void release(Storage storage) {
            super.release(storage);
            live--;
        }

        @Override
        public void release(IndexStorage storage) {
            super.release(storage);
            liveIndices--;
        }
    }

    /** Runs out of memory after a set number of further allocations, as a full GPU does. */
    static final class ExhaustibleBackend extends CountingBackend {
        int allocationsLeft = Integer.MAX_VALUE;

        @Override
        public Storage allocate(long size) {
            if (allocationsLeft-- <= 0) {
                throw new LaminaException("out of device memory (injected)");
            }
            return super.allocate(size);
        }

        @Override
        public IndexStorage allocateIndices(int size) {
            if (allocationsLeft-- <= 0) {
                throw new LaminaException("out of device memory (injected)");
            }
            return super.allocateIndices(size);
        }
    }

    @Test
    void runningOutOfMemoryAtAnyAllocationOfFitLeaksNothing() {
        ExhaustibleBackend backend = new ExhaustibleBackend();
        float[][] x = SaveLoadTest.data(40, 4, 3);
        float[][] y = labels(40);
        FitOptions options = new FitOptions().epochs(2).batchSize(16).validationSplit(0.25).verbose(0).seed(1);
        try (Sequential m = model()) {
            m.build(4, backend);
            m.compile("adam", "sparse_categorical_crossentropy", "accuracy");
            m.fit(x, y, options);
            m.evaluate(x, y);
            int warm = backend.live;
            backend.allocationsLeft = 1000;
            m.fit(x, y, options);
            m.evaluate(x, y);
            int perRun = 1000 - backend.allocationsLeft;      // the uploads: the model keeps its other buffers
            int failures = 0;
            for (int budget = 0; budget < 60; budget++) {
                backend.allocationsLeft = budget;
                try {
                    m.fit(x, y, options);
                    m.evaluate(x, y);
                } catch (LaminaException e) {
                    assertTrue(e.getMessage().contains("injected"), e.getMessage());
                    failures++;
                }
                backend.allocationsLeft = Integer.MAX_VALUE;
                assertEquals(warm, backend.live, "storages leaked when allocation " + budget + " failed");
                assertEquals(0, backend.liveIndices, "index storages leaked when allocation " + budget + " failed");
            }
            assertTrue(perRun >= 9, "allocations per fit and evaluate: " + perRun);
            assertEquals(perRun, failures, "each allocation failed once");
            m.fit(x, y, options); // and the model still trains
        }
    }

    @Test
    void runningOutOfMemoryWhileBuildingOrTrainingFirstLeaksNothingAndARetryWorks() {
        float[][] x = SaveLoadTest.data(20, 4, 4);
        float[][] y = labels(20);
        int failures = 0;
        for (int budget = 0; budget < 80; budget++) {
            ExhaustibleBackend backend = new ExhaustibleBackend();
            backend.allocationsLeft = budget;
            Sequential m = model();
            try {
                m.build(4, backend);
                m.compile("adam", "sparse_categorical_crossentropy");
                m.fit(x, y, new FitOptions().epochs(1).batchSize(8).verbose(0));
            } catch (LaminaException e) {
                assertTrue(e.getMessage().contains("injected"), e.getMessage());
                failures++;
                backend.allocationsLeft = Integer.MAX_VALUE;
                m.build(4, backend);        // the same model, once memory is free again
                m.compile("adam", "sparse_categorical_crossentropy");
                m.fit(x, y, new FitOptions().epochs(1).batchSize(8).verbose(0));
            }
            m.close();
            assertEquals(0, backend.live, "storages leaked when allocation " + budget + " failed");
            assertEquals(0, backend.liveIndices, "index storages leaked when allocation " + budget + " failed");
        }
        assertTrue(failures > 20 && failures < 80, "failures: " + failures);
    }

    private static Sequential model() {
        return new Sequential(new Dense(6, "relu"), new BatchNormalization(), new Dropout(0.2), new Dense(3, "softmax"));
    }

    private static float[][] labels(int rows) {
        float[][] y = new float[rows][1];
        for (int i = 0; i < rows; i++) {
            y[i][0] = i % 3;
        }
        return y;
    }

    @Test
    void closeReleasesEverythingTheModelAllocated() {
        CountingBackend backend = new CountingBackend();
        float[][] x = SaveLoadTest.data(50, 4, 1);
        float[][] y = labels(50);
        Sequential m = model();
        m.build(4, backend);
        m.compile("adam", "sparse_categorical_crossentropy", "accuracy");
        m.fit(x, y, new FitOptions().epochs(3).batchSize(16).validationSplit(0.2).verbose(0).seed(1));
        m.evaluate(x, y);
        m.predict(x);
        m.layerOutputs(x);
        m.saveWeights(dir.resolve("w.safetensors"));
        m.loadWeights(dir.resolve("w.safetensors"));
        m.compile("sgd", "sparse_categorical_crossentropy");      // a second compile frees the first optimizer's state
        m.fit(x, y, new FitOptions().epochs(1).batchSize(64).verbose(0));
        assertTrue(backend.live > 0);
        assertEquals(0, backend.liveIndices, "fit and evaluate give their row orders back when they return");
        m.close();
        assertEquals(0, backend.live, "storages still allocated after close");
        m.close(); // closing twice is harmless
    }

    /** What keeps device memory flat on any backend: fit, evaluate and predict give back all they take. */
    @Test
    void repeatedCallsKeepTheNumberOfLiveStoragesFlat() {
        CountingBackend backend = new CountingBackend();
        float[][] x = SaveLoadTest.data(30, 4, 5);
        float[][] y = labels(30);
        try (Sequential m = model()) {
            m.build(4, backend);
            m.compile("adam", "sparse_categorical_crossentropy", "accuracy");
            FitOptions options = new FitOptions().epochs(2).batchSize(8).validationSplit(0.2).verbose(0);
            m.fit(x, y, options);
            m.evaluate(x, y);
            m.predict(x);
            int warm = backend.live;
            for (int i = 0; i < 200; i++) {
                m.fit(x, y, options);
                m.evaluate(x, y);
                m.predict(x);
                assertEquals(warm, backend.live, "live storages after round " + i);
                assertEquals(0, backend.liveIndices);
            }
        }
        assertEquals(0, backend.live);
    }

    @Test
    void aFitThatDivergesLeaksNothing() {
        CountingBackend backend = new CountingBackend();
        float[][] x = SaveLoadTest.data(64, 3, 2);
        try (Sequential m = new Sequential(new Dense(4, "relu"), new Dense(3))) {
            m.build(3, backend);
            m.compile("sgd", "mse");
            m.fit(x, x, new FitOptions().epochs(1).batchSize(8).verbose(0));
            int warm = backend.live;
            m.optimizer().setLearningRate(1e12f);
            assertThrows(dev.lamina.TrainingDivergedException.class,
                    () -> m.fit(x, x, new FitOptions().epochs(3).batchSize(8).verbose(0)));
            assertEquals(0, backend.liveIndices);
            assertEquals(warm, backend.live, "storages left behind by a fit that threw");
        }
    }

    @Test
    void everyUseOfAClosedModelFailsClearly() {
        Sequential m = model();
        m.build(4);
        m.compile("adam", "sparse_categorical_crossentropy");
        m.close();
        float[][] x = new float[2][4];
        List<Consumer<Sequential>> uses = List.of(
                s -> s.predict(x),
                s -> s.fit(x, labels(2), new FitOptions().verbose(0)),
                s -> s.evaluate(x, labels(2)),
                Sequential::getWeights,
                s -> s.setWeights(List.of()),
                s -> s.layerOutputs(x),
                s -> s.save(dir.resolve("m.safetensors")),
                s -> s.saveWeights(dir.resolve("w.safetensors")),
                s -> s.loadWeights(dir.resolve("w.safetensors")),
                s -> s.build(4),
                s -> s.compile("sgd", "mse"),
                s -> s.add(new Dense(1)),
                Sequential::inputWidth);
        for (Consumer<Sequential> use : uses) {
            LaminaException e = assertThrows(LaminaException.class, () -> use.accept(m));
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
        }
    }

    @Test
    void aClosedTensorFailsClearly() {
        ReferenceBackend backend = new ReferenceBackend();
        Tensor t = Tensor.of(backend, new float[][] {{1, 2}, {3, 4}});
        t.close();
        t.close();
        assertTrue(t.isClosed());
        for (Runnable use : List.<Runnable>of(t::toArray, t::storage, () -> t.upload(new float[4]), t::toFlatArray)) {
            LaminaException e = assertThrows(LaminaException.class, use::run);
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
        }
        assertTrue(t.toString().contains("closed"));
    }
}
