package dev.lamina.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.lamina.FitOptions;
import dev.lamina.Sequential;
import dev.lamina.backend.Backend;
import dev.lamina.backend.Backends;
import dev.lamina.backend.reference.ReferenceBackend;
import dev.lamina.layers.Dense;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code Sequential.load(file, backend)}: the model lands on the backend given, not the current one (lamina-spark's executors need this). */
@ExtendWith(OnReferenceBackend.class)
class LoadOnBackendTest {
    @TempDir
    Path dir;

    @Test
    void aModelLoadsOntoTheBackendGiven() {
        float[][] x = SaveLoadTest.data(20, 4, 3);
        float[][] y = SaveLoadTest.data(20, 1, 4);
        Path file = dir.resolve("m.safetensors");
        float[][] expected;
        try (Sequential model = new Sequential(new Dense(5, "tanh"), new Dense(1))) {
            model.compile("adam", "mse");
            model.fit(x, y, new FitOptions().epochs(2).batchSize(5).verbose(0).seed(1));
            model.save(file);
            expected = model.predict(x);
        }
        Backend own = new ReferenceBackend();
        try (Sequential onOwn = Sequential.load(file, own); Sequential onCurrent = Sequential.load(file, null)) {
            assertSame(own, onOwn.backend());
            assertNotSame(own, onCurrent.backend());
            assertSame(Backends.current(), onCurrent.backend());
            float[][] actual = onOwn.predict(x);
            for (int r = 0; r < x.length; r++) {
                assertArrayEquals(expected[r], actual[r]);
            }
            // the optimizer state came along too: both continue training alike
            onOwn.fit(x, y, new FitOptions().epochs(1).batchSize(5).shuffle(false).verbose(0));
            onCurrent.fit(x, y, new FitOptions().epochs(1).batchSize(5).shuffle(false).verbose(0));
            assertArrayEquals(onCurrent.getWeights().get(0)[0], onOwn.getWeights().get(0)[0]);
        }
    }
}
