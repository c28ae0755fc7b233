package dev.lamina.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.Sequential;
import dev.lamina.layers.Dense;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Lamina writes .keras and .h5 files and reads them back as the same model: same outputs, same next training step. */
class WriteReadTest {
    @TempDir
    Path dir;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String name : LaminaModels.NAMES) {
            out.add(Arguments.of(name, ".keras"));
            out.add(Arguments.of(name, ".h5"));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}{1}")
    @MethodSource("cases")
    void readsBackTheSameModel(String name, String extension) {
        Path file = dir.resolve(name + extension);
        try (Sequential original = LaminaModels.build(name)) {
            original.save(file);
            try (Sequential loaded = Sequential.load(file)) {
                float[][] x = LaminaModels.data(original, 7, 99)[0];
                assertArrayEquals(original.predict(x), loaded.predict(x), "predictions");
                assertEquals(original.summary(), loaded.summary());
                for (int i = 0; i < original.getWeights().size(); i++) {
                    assertArrayEquals(original.getWeights().get(i), loaded.getWeights().get(i), "weight " + i);
                }
                if (original.optimizer() == null) {
                    assertNull(loaded.optimizer());
                    return;
                }
                assertEquals(original.optimizer().config(), loaded.optimizer().config());
                assertEquals(original.optimizer().iterations(), loaded.optimizer().iterations());
                assertEquals(original.loss().kind(), loaded.loss().kind());
                assertEquals(original.loss().param(), loaded.loss().param());
                assertEquals(original.metricNames(), loaded.metricNames());
                if (!LaminaModels.hasDropout(original)) {
                    float[][][] batch = LaminaModels.data(original, 8, 5);
                    original.fit(batch[0], batch[1], LaminaModels.oneStep(8));
                    loaded.fit(batch[0], batch[1], LaminaModels.oneStep(8));
                    for (int i = 0; i < original.getWeights().size(); i++) {
                        assertArrayEquals(original.getWeights().get(i), loaded.getWeights().get(i), "weight " + i + " after a step");
                    }
                }
            }
        }
    }

    @Test
    void theArchiveHasKerasEntries() throws Exception {
        Path file = dir.resolve("m.keras");
        try (Sequential m = LaminaModels.build("regression_adam_bn")) {
            m.save(file);
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            assertTrue(zip.getEntry("config.json") != null && zip.getEntry("metadata.json") != null
                    && zip.getEntry("model.weights.h5") != null);
        }
    }

    @Test
    void withoutTheOptimizerTheModelLoadsCompiledWithAFreshOne() {
        Path file = dir.resolve("m.keras");
        try (Sequential m = LaminaModels.build("regression_adam_bn")) {
            m.save(file, false);
        }
        try (Sequential loaded = Sequential.load(file)) {
            assertEquals("adam", loaded.optimizer().name());
            assertEquals(0, loaded.optimizer().iterations());
        }
    }

    @Test
    void aConfigTooLargeForAnHdf5AttributeIsRefusedAndTheOldFileKept() throws Exception {
        Path file = dir.resolve("big.h5");
        Files.writeString(file, "the previous file");
        Sequential big = new Sequential();
        for (int i = 0; i < 120; i++) {
            big.add(new Dense(1));
        }
        try (Sequential m = big) {
            m.build(1);
            KerasUnsupportedException e = assertThrows(KerasUnsupportedException.class, () -> m.save(file));
            assertTrue(e.getMessage().contains(".keras"), e.getMessage());
            assertEquals("the previous file", Files.readString(file));
            Path archive = dir.resolve("big.keras");
            m.save(archive);
            try (Sequential loaded = Sequential.load(archive)) {
                assertEquals(120, loaded.layers().size());
            }
        }
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary file left behind");
        }
    }
}
