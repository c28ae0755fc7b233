package dev.lamina.keras;

import dev.lamina.Sequential;
import dev.lamina.io.ModelFileException;
import dev.lamina.io.ModelFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Keras files for {@link Sequential#load} and {@link Sequential#save}: Keras 3 {@code .keras} archives
 * (a zip) and Keras 2 / tf.keras full-model {@code .h5} files (HDF5), told apart by their first bytes;
 * written by extension ({@code .keras}; {@code .h5} or {@code .hdf5}). Registered in
 * {@code META-INF/services/dev.lamina.io.ModelFormat}.
 */
public final class KerasFormat implements ModelFormat {
    private static final byte[] ZIP = {'P', 'K', 3, 4};
    private static final byte[] HDF5 = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    @Override
    public String name() {
        return "Keras (.keras, .h5)";
    }

    @Override
    public boolean reads(Path file, byte[] head) {
        return startsWith(head, ZIP) || startsWith(head, HDF5) || (head.length == 0 && writes(file));
    }

    @Override
    public boolean writes(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".keras") || name.endsWith(".h5") || name.endsWith(".hdf5");
    }

    @Override
    public Sequential read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ModelFileException("Cannot read " + file + ": " + (Files.exists(file) ? "it is not a regular file"
                    : "no such file") + ".");
        }
        byte[] head;
        try (java.io.InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(8);
        } catch (java.io.IOException e) {
            throw new ModelFileException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        if (startsWith(head, ZIP)) {
            return KerasArchive.read(file);
        }
        if (startsWith(head, HDF5)) {
            return KerasH5.read(file);
        }
        throw new KerasFileFormatException(file + " is neither a Keras 3 .keras archive (a zip) nor a Keras .h5 file (HDF5): "
                + "its first bytes are of neither.");
    }

    @Override
    public void write(Sequential model, Path file, boolean includeOptimizer) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".keras")) {
            KerasArchive.write(model, file, includeOptimizer);
        } else {
            KerasH5.write(model, file, includeOptimizer);
        }
    }

    private static boolean startsWith(byte[] head, byte[] magic) {
        return head.length >= magic.length && java.util.Arrays.equals(head, 0, magic.length, magic, 0, magic.length);
    }
}
