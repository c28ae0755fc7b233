package dev.lamina.io;

import dev.lamina.Sequential;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * Picks the {@link ModelFormat} for a file: Keras files ({@code .keras} archives, HDF5 {@code .h5}) go
 * to the format module on the class path; anything else is Lamina's safetensors file.
 */
public final class ModelFormats {
    /** Extensions of the Keras files, which need the {@code lamina-keras} module. */
    private static final String[] KERAS_EXTENSIONS = {".keras", ".h5", ".hdf5"};
    private static final byte[] ZIP = {'P', 'K', 3, 4};
    private static final byte[] HDF5 = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    private ModelFormats() {
    }

    /** The format that reads {@code file}, or null for Lamina's own (safetensors) file. */
    public static ModelFormat forReading(Path file) {
        byte[] head = head(file);
        for (ModelFormat format : ServiceLoader.load(ModelFormat.class, ModelFormats.class.getClassLoader())) {
            if (format.reads(file, head)) {
                return format;
            }
        }
        if (startsWith(head, ZIP) || startsWith(head, HDF5) || kerasExtension(file)) {
            throw new ModelFileException(file + " looks like a Keras file (" + (startsWith(head, ZIP) ? "a zip archive"
                    : startsWith(head, HDF5) ? "HDF5" : "by its extension") + "), but no reader for Keras files is on the "
                    + "class path. Add the lamina-keras module (Maven: dev.lamina:lamina-keras) to read .keras and .h5 files.");
        }
        return null;
    }

    /** The format that writes {@code file}'s extension, or null for Lamina's own (safetensors) file. */
    public static ModelFormat forWriting(Path file) {
        for (ModelFormat format : ServiceLoader.load(ModelFormat.class, ModelFormats.class.getClassLoader())) {
            if (format.writes(file)) {
                return format;
            }
        }
        if (kerasExtension(file)) {
            throw new ModelFileException("Cannot write " + file + ": writing Keras files needs the lamina-keras module "
                    + "(Maven: dev.lamina:lamina-keras) on the class path; or save to a .safetensors file, Lamina's own.");
        }
        return null;
    }

    private static boolean kerasExtension(Path file) {
        Path name = file.getFileName();
        String lower = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
        for (String extension : KERAS_EXTENSIONS) {
            if (lower.endsWith(extension)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The first bytes of a regular file; empty for a missing file, a pipe or a device (opening a pipe
     * would block), which the chosen reader then reports.
     */
    private static byte[] head(Path file) {
        if (!Files.isRegularFile(file)) {
            return new byte[0];
        }
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(8);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static boolean startsWith(byte[] head, byte[] magic) {
        return head.length >= magic.length && java.util.Arrays.equals(head, 0, magic.length, magic, 0, magic.length);
    }
}
