package dev.lamina.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.FitOptions;
import dev.lamina.History;
import dev.lamina.LaminaException;
import dev.lamina.PreparedData;
import dev.lamina.Sequential;
import dev.lamina.layers.BatchNormalization;
import dev.lamina.layers.Dense;
import dev.lamina.layers.Dropout;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rows uploaded once with {@code prepare} train exactly as the same rows given as arrays, fit after
 * fit, and a fit on them allocates no backend memory once the first one has run.
 */
class PreparedDataTest {
    private static final float[][] X = SaveLoadTest.data(50, 4, 11);
    private static final float[][] Y = labels(50);
    private static final float[][] VAL_X = SaveLoadTest.data(20, 4, 12);
    private static final float[][] VAL_Y = labels(20);

    @Test
    void fitOnPreparedRowsEqualsFitOnArraysBitForBitFitAfterFit() {
        try (Sequential arrays = model(); Sequential prepared = model()) {
            FitOptions onArrays = options().validationData(VAL_X, VAL_Y);
            List<History> expected = List.of(arrays.fit(X, Y, onArrays), arrays.fit(X, Y, onArrays), arrays.fit(X, Y, onArrays));
            try (PreparedData train = prepared.prepare(X, Y); PreparedData validation = prepared.prepare(VAL_X, VAL_Y)) {
                FitOptions onPrepared = options().validationData(validation);
                for (History want : expected) {
                    assertSameHistory(want, prepared.fit(train, onPrepared));
                }
                assertEquals(arrays.evaluate(X, Y), prepared.evaluate(train), "evaluate after shuffling fits");
                assertEquals(50, train.rows());
            }
            assertWeightsEqual(arrays, prepared);
        }
    }

    @Test
    void preparedTrainingRowsTakeArrayValidationRowsToo() {
        try (Sequential arrays = model(); Sequential prepared = model()) {
            FitOptions withValidation = options().validationData(VAL_X, VAL_Y);
            History want = arrays.fit(X, Y, withValidation);
            try (PreparedData train = prepared.prepare(X, Y)) {
                assertSameHistory(want, prepared.fit(train, withValidation));
            }
            assertWeightsEqual(arrays, prepared);
        }
    }

    @Test
    void theRowsAreCopiedWhenPrepared() {
        float[][] x = SaveLoadTest.data(50, 4, 11);
        try (Sequential a = model(); Sequential b = model(); PreparedData train = b.prepare(x, Y)) {
            x[0][0] = 1e6f;         // changes nothing already prepared
            History want = a.fit(X, Y, options());
            assertSameHistory(want, b.fit(train, options()));
        }
    }

    /** The reference backend, counting every allocation. */
    static final class AllocationCounting extends CloseTest.CountingBackend {
        int allocations;

        @Override
        public dev.lamina.backend.Storage allocate(long size) {
            allocations++;
            return super.allocate(size);
        }

        @Override
        public dev.lamina.backend.IndexStorage allocateIndices(int size) {
            allocations++;
            return super.allocateIndices(size);
        }
    }

    @Test
    void aFitOnPreparedRowsAllocatesNoBackendMemoryAfterTheFirst() {
        AllocationCounting backend = new AllocationCounting();
        try (Sequential m = model(backend); PreparedData train = m.prepare(X, Y); PreparedData validation = m.prepare(VAL_X, VAL_Y)) {
            FitOptions options = options().validationData(validation);
            m.fit(train, options);
            m.evaluate(train);
            int before = backend.allocations;
            for (int i = 0; i < 3; i++) {
                m.fit(train, options);
                m.evaluate(validation);
            }
            assertEquals(0, backend.allocations - before, "backend allocations by three more fits and evaluates");
        }
        assertEquals(0, backend.live, "storages left after close");
        assertEquals(0, backend.liveIndices, "index storages left after close");
    }

    @Test
    void misuseIsRefusedWithWhatToDo() {
        try (Sequential m = model(); Sequential other = model()) {
            PreparedData train = m.prepare(X, Y);
            LaminaException split = assertThrows(LaminaException.class,
                    () -> m.fit(train, options().validationSplit(0.2)));
            assertTrue(split.getMessage().contains("validationData(model.prepare(valX, valY))"), split.getMessage());
            LaminaException foreign = assertThrows(LaminaException.class, () -> other.fit(train, options()));
            assertTrue(foreign.getMessage().contains("Call prepare(x, y) on this model"), foreign.getMessage());
            train.close();
            train.close();          // twice is harmless
            LaminaException closed = assertThrows(LaminaException.class, () -> m.fit(train, options()));
            assertTrue(closed.getMessage().contains("was closed"), closed.getMessage());
            assertThrows(LaminaException.class, () -> m.evaluate(train));
            LaminaException wide = assertThrows(LaminaException.class, () -> m.prepare(X, SaveLoadTest.data(50, 2, 1)));
            assertTrue(wide.getMessage().contains("columns"), wide.getMessage());
        }
        try (Sequential uncompiled = new Sequential(new Dense(3))) {
            LaminaException e = assertThrows(LaminaException.class, () -> uncompiled.prepare(X, Y));
            assertTrue(e.getMessage().contains("compiled before prepare"), e.getMessage());
        }
    }

    private static void assertSameHistory(History want, History got) {
        assertEquals(want.keys(), got.keys());
        for (String key : want.keys()) {
            assertArrayEquals(want.get(key), got.get(key), key);
        }
    }

    private static void assertWeightsEqual(Sequential a, Sequential b) {
        List<float[][]> wa = a.getWeights();
        List<float[][]> wb = b.getWeights();
        for (int i = 0; i < wa.size(); i++) {
            for (int r = 0; r < wa.get(i).length; r++) {
                assertArrayEquals(wa.get(i)[r], wb.get(i)[r], "weights " + i + " row " + r);
            }
        }
    }

    private static FitOptions options() {
        return new FitOptions().epochs(2).batchSize(16).verbose(0);
    }

    private static Sequential model() {
        return model(new dev.lamina.backend.reference.ReferenceBackend());
    }

    private static Sequential model(dev.lamina.backend.Backend backend) {
        Sequential m = new Sequential(new Dense(6, "relu"), new BatchNormalization(), new Dropout(0.2), new Dense(3, "softmax"));
        m.setSeed(7);
        m.build(4, backend);
        m.compile("adam", "sparse_categorical_crossentropy", "accuracy");
        return m;
    }

    private static float[][] labels(int rows) {
        float[][] y = new float[rows][1];
        for (int r = 0; r < rows; r++) {
            y[r][0] = r % 3;
        }
        return y;
    }
}
