package dev.lamina.io;

import dev.lamina.Sequential;
import java.nio.file.Path;

/**
 * A model file format other than Lamina's own safetensors file, found with {@link java.util.ServiceLoader}
 * (a module such as {@code lamina-keras} lists its implementation in
 * {@code META-INF/services/dev.lamina.io.ModelFormat}). {@link Sequential#load} and {@link Sequential#save}
 * pick one through {@link ModelFormats}.
 */
public interface ModelFormat {
    /** A short name for messages ("Keras 3 .keras"). */
    String name();

    /** Whether this format reads {@code file}, judged by its first bytes (and, where they are not enough, its name). */
    boolean reads(Path file, byte[] head);

    /** Whether this format writes files with {@code file}'s name (by extension). */
    boolean writes(Path file);

    /**
     * Reads a whole model, built on the current backend and compiled if the file says how. Checks the
     * whole file first: on any error nothing is left allocated and a {@link ModelFileException} says why.
     */
    Sequential read(Path file);

    /** Writes the built model to {@code file} through a temporary file (see {@link AtomicFiles}). */
    void write(Sequential model, Path file, boolean includeOptimizer);
}
