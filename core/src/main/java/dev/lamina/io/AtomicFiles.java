package dev.lamina.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;

/**
 * Files written so that nobody sees half of one: into a temporary file beside the target, then
 * renamed over it. A reader (or a crash) finds the old file or the new one, never a mix.
 */
public final class AtomicFiles {
    private static final SecureRandom RANDOM = new SecureRandom();
    private AtomicFiles() {
    }

    /** What fills the temporary file. */
    @FunctionalInterface
    public interface Content {
        void writeTo(Path temporary) throws IOException;
    }

    /**
     * Writes {@code file} through a temporary file in the same directory (named after it, with the
     * same extension, so tools that go by the extension accept it), then {@link #replace}s. On
     * failure the temporary file is removed and {@code file} is as it was.
     */
    public static void write(Path file, Content content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String extension = dot > 0 ? name.substring(dot) : "";
        Path temporary = createTemporary(dir, "." + name + ".", ".partial" + extension);
        try {
            content.writeTo(temporary);
            replace(temporary, file);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Creates a new, empty file named {@code prefix}, a random part and {@code suffix} in {@code dir},
     * with the mode every other tool gives a new file (0666 less the umask). Files.createTempFile
     * would make it 0600, and the rename would keep that: a model or table nobody else could read.
     */
    public static Path createTemporary(Path dir, String prefix, String suffix) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path candidate = dir.resolve(prefix + Long.toUnsignedString(RANDOM.nextLong(), 36) + suffix);
            try {
                return Files.createFile(candidate);
            } catch (FileAlreadyExistsException e) {
                if (attempt == 100) {
                    throw e;
                }
            }
        }
    }

    /** Moves {@code from} onto {@code to} in one step where the file system can, else replaces it plainly. */
    public static void replace(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
