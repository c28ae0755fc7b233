package dev.lamina.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lamina.LaminaException;
import dev.lamina.Sequential;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * TEMPORARY until Step 2's {@code model.save(path)} / {@code Sequential.load(path)} are merged from
 * main: the network's shape and its weights as JSON. Only this class changes when they land.
 */
final class ModelFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelFile() {
    }

    record Stored(String format, NetworkSpec network, int inputWidth, List<float[][]> weights) {
    }

    static void save(Sequential model, NetworkSpec network, Path file) throws IOException {
        JSON.writeValue(file.toFile(), new Stored("lamina-cli-interim-model", network, model.inputWidth(), model.getWeights()));
    }

    static Sequential load(Path file) {
        Stored stored;
        try {
            stored = JSON.readValue(Files.readAllBytes(file), Stored.class);
        } catch (IOException e) {
            throw new LaminaException("Cannot read the model " + file + ": " + e.getMessage(), e);
        }
        Sequential model = stored.network().build();
        model.build(stored.inputWidth());
        model.setWeights(stored.weights());
        return model;
    }
}
