package dev.lamina.cli;

import dev.lamina.LaminaException;
import dev.lamina.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * An output directory that appears whole or not at all. Files are written into a hidden staging
 * directory beside the target and moved into place by {@link #commit()}; if anything fails first
 * (or the user presses Ctrl-C), the staging directory is deleted and the target is untouched.
 */
final class StagedOutput implements AutoCloseable {
    private final Path target;
    private final Path staging;
    private final Thread cleanupOnExit;
    private boolean committed;

    private StagedOutput(Path target, Path staging) {
        this.target = target;
        this.staging = staging;
        this.cleanupOnExit = new Thread(this::deleteStaging, "lamina-staging-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanupOnExit);
    }

    /** Checks that {@code target} can become an output directory; call before long work, so a bad --out fails fast. */
    static void checkTarget(Path target) {
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw new LaminaException("--out " + target + " is a file; give a directory (it is created if missing).");
        }
        Path existing = nearestExisting(target.toAbsolutePath());
        if (!Files.isWritable(existing)) {
            throw new LaminaException("Cannot write under " + existing + " (no permission); choose another --out directory.");
        }
    }

    /** Starts staging files for {@code target}, in its nearest existing ancestor (same file system, so moves are renames). */
    static StagedOutput begin(Path target) throws IOException {
        checkTarget(target);
        Path absolute = target.toAbsolutePath().normalize();
        Path staging = Files.createTempDirectory(nearestExisting(absolute), ".lamina-staging-");
        return new StagedOutput(absolute, staging);
    }

    /** The staging directory itself, to write several files into. */
    Path directory() {
        return staging;
    }

    /** Where to write the file called {@code name}. */
    Path file(String name) {
        return staging.resolve(name);
    }

    /** Moves every staged file into the target directory, creating it if needed. */
    void commit() throws IOException {
        Files.createDirectories(target);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(staging)) {
            for (Path f : files) {
                AtomicFiles.replace(f, target.resolve(f.getFileName().toString()));
            }
        }
        committed = true;
        deleteStaging();
    }

    @Override
    public void close() {
        deleteStaging();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run: nothing left to do
        }
    }

    private void deleteStaging() {
        if (!Files.exists(staging)) {
            return;
        }
        try (Stream<Path> all = Files.walk(staging)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("lamina: could not delete the staging directory " + staging + ": " + e.getMessage());
        }
    }

    private static Path nearestExisting(Path path) {
        Path p = path.toAbsolutePath();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p == null ? Path.of("").toAbsolutePath() : p;
    }

    boolean committed() {
        return committed;
    }
}
