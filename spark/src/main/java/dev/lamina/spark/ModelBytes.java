package dev.lamina.spark;

import dev.lamina.LaminaException;
import dev.lamina.Sequential;
import dev.lamina.backend.Backend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model as the bytes of Lamina's model file (architecture, compile settings, weights, optimizer
 * state): the form in which a model travels to Spark's executors and into saved pipelines. The file
 * format has one home, in core; this class only moves it through a temporary file.
 */
final class ModelBytes {
    private ModelBytes() {
    }

    /** The model file of a built model, optimizer state included. */
    static byte[] of(Sequential model) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("lamina-spark");
            Path file = dir.resolve("model.safetensors");
            model.save(file);
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the model to a temporary file: " + e.getMessage(), e);
        } finally {
            deleteQuietly(dir);
        }
    }

    /** A new model from {@link #of}'s bytes, built on {@code backend}. */
    static Sequential load(byte[] bytes, Backend backend) {
        if (bytes == null || bytes.length == 0) {
            throw new LaminaException("No model bytes to load: the model was never trained or saved.");
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("lamina-spark");
            Path file = dir.resolve("model.safetensors");
            Files.write(file, bytes);
            return Sequential.load(file, backend);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the model to a temporary file: " + e.getMessage(), e);
        } finally {
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a temporary file left behind is harmless; the result is what matters
        }
    }
}
