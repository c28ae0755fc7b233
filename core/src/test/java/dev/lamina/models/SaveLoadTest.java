package dev.lamina.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lamina.FitOptions;
import dev.lamina.Sequential;
import dev.lamina.io.ModelFileException;
import dev.lamina.layers.BatchNormalization;
import dev.lamina.layers.Dense;
import dev.lamina.layers.Dropout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(OnReferenceBackend.class)
class SaveLoadTest {
    @TempDir
    Path dir;

    static float[][] data(int rows, int cols, long seed) {
        Random r = new Random(seed);
        float[][] x = new float[rows][cols];
        for (float[] row : x) {
            for (int j = 0; j < cols; j++) {
                row[j] = (float) r.nextGaussian();
            }
        }
        return x;
    }

    private static Sequential trainedModel() {
        Sequential model = new Sequential(new Dense(6, "relu"), new BatchNormalization(), new Dropout(0.2),
                new Dense(3, "softmax"));
        model.compile("adam", "sparse_categorical_crossentropy", "accuracy");
        float[][] x = data(40, 5, 1);
        float[][] y = new float[40][1];
        for (int i = 0; i < 40; i++) {
            y[i][0] = i % 3;
        }
        model.fit(x, y, new FitOptions().epochs(3).batchSize(8).verbose(0).seed(2));
        return model;
    }

    @Test
    void saveThenLoadGivesIdenticalPredictions() {
        Path file = dir.resolve("model.safetensors");
        float[][] x = data(13, 5, 9);
        try (Sequential model = trainedModel()) {
            float[][] before = model.predict(x);
            model.save(file);
            try (Sequential restored = Sequential.load(file)) {
                float[][] after = restored.predict(x);
                for (int i = 0; i < x.length; i++) {
                    assertArrayEquals(before[i], after[i], 0f);
                }
                assertEquals(model.summary(), restored.summary());
                assertEquals("adam", restored.optimizer().name());
                assertEquals(model.optimizer().iterations(), restored.optimizer().iterations());
                assertEquals(List.of("accuracy"), restored.metricNames());
            }
        }
    }

    @Test
    void optimizerStateIsRestoredSoTrainingContinuesIdentically() {
        Path file = dir.resolve("model.safetensors");
        float[][] x = data(16, 5, 4);
        float[][] y = new float[16][1];
        try (Sequential model = trainedModel()) {
            model.save(file);
            try (Sequential restored = Sequential.load(file)) {
                FitOptions once = new FitOptions().epochs(1).batchSize(16).shuffle(false).verbose(0).seed(5);
                double a = model.fit(x, y, once).get("loss")[0];
                double b = restored.fit(x, y, once).get("loss")[0];
                assertEquals(a, b, 0.0);
                float[][] pa = model.predict(x);
                float[][] pb = restored.predict(x);
                assertArrayEquals(pa[3], pb[3], 0f);
            }
        }
    }

    /** The file checked against the safetensors specification, byte by byte, without Lamina's reader. */
    @Test
    void theFileIsPlainSafetensors() throws Exception {
        Path file = dir.resolve("model.safetensors");
        try (Sequential model = trainedModel()) {
            model.save(file, false);
            byte[] bytes = Files.readAllBytes(file);
            long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            assertEquals(0, (8 + headerLength) % 8, "header padded to 8-byte alignment");
            String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
            assertTrue(header.startsWith("{"));
            JsonNode root = new ObjectMapper().readTree(header.trim());
            assertEquals("lamina", root.get("__metadata__").get("format").asText());
            assertTrue(root.get("__metadata__").get("model_config").isTextual());
            long dataSize = bytes.length - 8 - headerLength;
            long covered = 0;
            List<float[][]> weights = model.getWeights();
            int w = 0;
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    continue;
                }
                JsonNode t = e.getValue();
                assertEquals("F32", t.get("dtype").asText());
                long begin = t.get("data_offsets").get(0).asLong();
                long end = t.get("data_offsets").get(1).asLong();
                assertEquals(covered, begin, e.getKey() + " follows the previous tensor");
                long elements = 1;
                for (JsonNode d : t.get("shape")) {
                    elements *= d.asLong();
                }
                assertEquals(elements * 4, end - begin);
                // the first value, read as little-endian float32, is the weight itself
                float first = ByteBuffer.wrap(bytes, (int) (8 + headerLength + begin), 4).order(ByteOrder.LITTLE_ENDIAN).getFloat();
                assertEquals(weights.get(w++)[0][0], first, 0f, e.getKey());
                covered = end;
            }
            assertEquals(dataSize, covered, "tensors cover the data buffer");
            assertTrue(root.has("dense/kernel") && root.has("batch_normalization/moving_variance") && root.has("dense_1/bias"));
            assertEquals(2, root.get("dense/kernel").get("shape").size());
            assertEquals(1, root.get("dense/bias").get("shape").size());
        }
    }

    @Test
    void loadingWeightsOfAnotherShapeFailsAndLeavesTheModelUnchanged() {
        Path file = dir.resolve("weights.safetensors");
        try (Sequential small = new Sequential(new Dense(4, "relu"), new Dense(1))) {
            small.build(3);
            small.saveWeights(file);
        }
        try (Sequential other = new Sequential(new Dense(5, "relu"), new Dense(1))) {
            other.build(3);
            List<float[][]> before = other.getWeights();
            ModelFileException e = assertThrows(ModelFileException.class, () -> other.loadWeights(file));
            assertTrue(e.getMessage().contains("dense/kernel") && e.getMessage().contains("[3, 4]")
                    && e.getMessage().contains("[3, 5]") && e.getMessage().contains("unchanged"), e.getMessage());
            List<float[][]> after = other.getWeights();
            for (int i = 0; i < before.size(); i++) {
                for (int r = 0; r < before.get(i).length; r++) {
                    assertArrayEquals(before.get(i)[r], after.get(i)[r], 0f);
                }
            }
        }
    }

    @Test
    void weightsOnlyFilesSayHowToLoadThem() {
        Path file = dir.resolve("weights.safetensors");
        try (Sequential m = new Sequential(new Dense(2))) {
            m.build(2);
            m.saveWeights(file);
        }
        String msg = assertThrows(ModelFileException.class, () -> Sequential.load(file)).getMessage();
        assertTrue(msg.contains("loadWeights"), msg);
    }

    @Test
    void savingReplacesTheOldFileAtomicallyAndLeavesNoTemporaryFiles() throws Exception {
        Path file = dir.resolve("model.safetensors");
        try (Sequential m = new Sequential(new Dense(2))) {
            m.build(2);
            m.save(file);
            long first = Files.size(file);
            m.save(file);
            assertEquals(first, Files.size(file));
        }
        try (var files = Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")));
        }
    }
}
