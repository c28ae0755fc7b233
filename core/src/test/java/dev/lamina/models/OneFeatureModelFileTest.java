package dev.lamina.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.lamina.Sequential;
import dev.lamina.backend.reference.ReferenceBackend;
import dev.lamina.layers.Dense;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A model of one input feature has a kernel of one row; it must still save and load (it was written 1-D). */
@ExtendWith(OnReferenceBackend.class)
class OneFeatureModelFileTest {
    @TempDir
    Path dir;

    @Test
    void aOneFeatureModelSavesAndLoads() {
        Path file = dir.resolve("m.safetensors");
        float[][] x = {{0.5f}, {-2f}};
        try (Sequential m = new Sequential(new Dense(3, "relu"), new Dense(1)).setSeed(1).build(1, new ReferenceBackend())) {
            m.compile("adam", "mse");
            m.fit(x, new float[][] {{1f}, {0f}}, new dev.lamina.FitOptions().epochs(1).verbose(0));
            m.save(file);
            try (Sequential loaded = Sequential.load(file)) {
                assertArrayEquals(m.predict(x), loaded.predict(x));
            }
        }
    }
}
