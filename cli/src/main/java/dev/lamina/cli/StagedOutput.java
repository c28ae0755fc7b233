package dev.lamina.cli;

import dev.lamina.LaminaException;
import dev.lamina.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * An output directory whose files change all together or not at all, even if the process is
 * killed (SIGKILL, power cut of the process) at any moment.
 *
 * <p>Files are written into a hidden staging directory; {@link #commit()} then makes them the
 * output in one rename, its <em>commit point</em>:
 * <ul>
 * <li>a new output directory: the staging directory (beside it) is renamed to it, and appears whole;
 * <li>an existing one: the staging directory (inside it) is renamed to {@value #COMMIT_DIR}, a
 *     journal of the files to put in place; they are then moved over the old ones one by one and
 *     the journal removed. If that is interrupted, {@link #finishInterruptedCommit} completes it,
 *     and every reader of the directory (predict, the next train) calls it first: nobody reads a
 *     mix of two runs. Files of the directory that the run does not write are left alone.
 * </ul>
 * Before the commit point the old output is untouched; if anything fails (or the user presses
 * Ctrl-C) the staging directory is deleted. A staging directory left by a killed process (its
 * name carries the process id) is deleted by the next run that stages beside it.
 */
final class StagedOutput implements AutoCloseable {
    static final String STAGING_PREFIX = ".lamina-staging-";
    static final String COMMIT_DIR = ".lamina-commit";
    /** In the journal: the names the commit removes from the output. */
    static final String REMOVE_LIST = ".lamina-remove";
    /** For tests: halt the JVM (as SIGKILL would) at this step of {@link #commit()}, counted from 1. */
    static final String HALT_PROPERTY = "lamina.test.haltAtCommitStep";

    private final Path target;
    private final Path staging;
    private final List<Path> createdParents;
    private final List<String> removed = new ArrayList<>();
    private final Thread cleanupOnExit;
    private boolean committed;

    private StagedOutput(Path target, Path staging, List<Path> createdParents) {
        this.target = target;
        this.staging = staging;
        this.createdParents = createdParents;
        this.cleanupOnExit = new Thread(this::deleteStaging, "lamina-staging-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanupOnExit);
    }

    /**
     * Checks that {@code target} can become an output directory, by creating and deleting a file
     * where the output will go: call before long work, so a bad --out fails in a second. (A
     * permission check alone passes for /proc or a read-only mount, where only writing tells.)
     */
    static void checkTarget(Path target) {
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw new LaminaException("--out " + target + " is a file; give a directory (it is created if missing).");
        }
        probeWritable(target.toAbsolutePath(), "--out " + target);
    }

    /**
     * Fails unless a file can be created (and is then deleted) in {@code dir} or, when it does not
     * exist yet, in its nearest existing ancestor; {@code what} names the option in the message.
     */
    static void probeWritable(Path dir, String what) {
        Path existing = nearestExisting(dir);
        if (!Files.isDirectory(existing)) {
            throw new LaminaException(what + ": " + existing + " is a file, so nothing can be written under it.");
        }
        try {
            Path probe = Files.createTempFile(existing, ".lamina-probe-", ".tmp");
            Files.delete(probe);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            throw new LaminaException("Cannot write under " + existing + " (" + reason(e) + "); choose another place for "
                    + what.split(" ")[0] + ".");
        }
    }

    /** Why the probe failed, in words (no exception class names: this ends up in a one-line message). */
    private static String reason(Exception e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "no permission";
        }
        if (e instanceof NoSuchFileException) {
            return "it does not take new files";
        }
        if (e instanceof java.nio.file.FileSystemException && ((java.nio.file.FileSystemException) e).getReason() != null) {
            return ((java.nio.file.FileSystemException) e).getReason();
        }
        return e.getMessage() == null ? "writing failed" : e.getMessage();
    }

    /** Starts staging files for {@code target}: inside it when it exists, else beside it (same file system, so moves are renames). */
    static StagedOutput begin(Path target) throws IOException {
        checkTarget(target);
        Path absolute = target.toAbsolutePath().normalize();
        List<Path> created = new ArrayList<>();
        Path parent = absolute.getParent() == null ? absolute : absolute.getParent();
        for (Path p = parent; p != null && !Files.exists(p); p = p.getParent()) {
            created.add(0, p);
        }
        Files.createDirectories(parent);
        Path home = Files.isDirectory(absolute) ? absolute : parent;
        removeStaleStaging(home);
        if (home.equals(absolute)) {
            finishInterruptedCommit(absolute);
        }
        // Files.createDirectory honours the umask, so the output directory gets the user's usual mode
        Path staging = home.resolve(STAGING_PREFIX + ProcessHandle.current().pid() + "-"
                + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36));
        Files.createDirectory(staging);
        return new StagedOutput(absolute, staging, created);
    }

    /** The staging directory itself, to write several files into. */
    Path directory() {
        return staging;
    }

    /** Where to write the file called {@code name}. */
    Path file(String name) {
        return staging.resolve(name);
    }

    /**
     * Makes the commit remove {@code name} from the output too: a file an earlier run wrote that
     * this run could not (a chart that failed), which would otherwise stay beside the new files.
     */
    void remove(String name) {
        removed.add(name);
    }

    /** Makes the staged files the output, in one rename (see the class comment). */
    void commit() throws IOException {
        if (!removed.isEmpty()) {
            Files.write(staging.resolve(REMOVE_LIST), removed, StandardCharsets.UTF_8);
        }
        haltIfAsked();
        if (!staging.getParent().equals(target) && !Files.exists(target)) {
            Files.deleteIfExists(staging.resolve(REMOVE_LIST));      // a new directory has nothing to remove
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);   // the commit point: a new directory
                committed = true;
                haltIfAsked();
                return;
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                // another process made the directory meanwhile: commit into it as into an existing one
            }
        }
        Path journal = target.resolve(COMMIT_DIR);
        for (int attempt = 0; ; attempt++) {
            finishInterruptedCommit(target);       // an earlier commit, killed or still running, goes first
            try {
                Files.move(staging, journal, StandardCopyOption.ATOMIC_MOVE);  // the commit point
                break;
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                if (attempt == 10) {
                    throw new LaminaException("Cannot commit the output to " + target + ": another lamina run keeps committing"
                            + " there (" + journal + "). Use another --out directory.");
                }
            }
        }
        committed = true;
        haltIfAsked();
        moveJournal(target, journal, true);
    }

    /**
     * Completes a commit into {@code dir} that was interrupted after its commit point (a process
     * killed while moving the files into place): moves the rest of the files, removes the journal.
     * Safe to run while the committing process is still at it. Returns whether there was one.
     */
    static boolean finishInterruptedCommit(Path dir) throws IOException {
        Path journal = dir.resolve(COMMIT_DIR);
        if (!Files.isDirectory(journal)) {
            return false;
        }
        moveJournal(dir, journal, false);
        return true;
    }

    private static void moveJournal(Path dir, Path journal, boolean haltPoints) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> listing = Files.newDirectoryStream(journal)) {
            listing.forEach(files::add);
        } catch (NoSuchFileException e) {
            return;                                // another process finished it
        }
        files.sort(Comparator.naturalOrder());
        Path removeList = journal.resolve(REMOVE_LIST);
        if (files.remove(removeList)) {
            try {
                for (String name : Files.readAllLines(removeList, StandardCharsets.UTF_8)) {
                    Files.deleteIfExists(dir.resolve(name));
                }
            } catch (NoSuchFileException e) {
                // another process finishing the same commit got there first
            }
            files.add(removeList);          // deleted last, below, so an interrupted run removes the names again
        }
        for (Path f : files) {
            if (f.equals(removeList)) {
                Files.deleteIfExists(f);
                continue;
            }
            try {
                AtomicFiles.replace(f, dir.resolve(f.getFileName().toString()));
            } catch (NoSuchFileException e) {
                // moved by another process finishing the same commit
            }
            if (haltPoints) {
                haltIfAsked();
            }
        }
        try {
            Files.deleteIfExists(journal);
        } catch (DirectoryNotEmptyException e) {
            // a newer commit has already taken the journal's name; it finishes itself
        }
        if (haltPoints) {
            haltIfAsked();
        }
    }

    private static int commitSteps;

    /** The test hook: Runtime.halt stops the JVM at once, without shutdown hooks, as SIGKILL does. */
    private static void haltIfAsked() {
        int haltAt = Integer.getInteger(HALT_PROPERTY, -1);
        if (haltAt > 0 && ++commitSteps == haltAt) {
            Runtime.getRuntime().halt(137);
        }
    }

    /** Deletes the staging directories that processes no longer running left in {@code dir}. */
    static void removeStaleStaging(Path dir) {
        try (DirectoryStream<Path> listing = Files.newDirectoryStream(dir, STAGING_PREFIX + "*")) {
            for (Path p : listing) {
                if (Files.isDirectory(p) && !ownerRunning(p.getFileName().toString().substring(STAGING_PREFIX.length()))) {
                    deleteTree(p);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // cleaning up is a courtesy: a leftover we cannot delete does not stop this run
        }
    }

    /** Whether the process whose id starts {@code suffix} ("1234-k3j2...") runs; a name without an id counts as running. */
    private static boolean ownerRunning(String suffix) {
        int dash = suffix.indexOf('-');
        if (dash <= 0) {
            return true;            // not named by this version: not ours to judge
        }
        try {
            long pid = Long.parseLong(suffix.substring(0, dash));
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return true;
        }
    }

    @Override
    public void close() {
        deleteStaging();
        if (!committed) {
            for (int i = createdParents.size() - 1; i >= 0; i--) {
                try {
                    Files.deleteIfExists(createdParents.get(i));
                } catch (IOException e) {
                    break;      // no longer empty: someone else put something there
                }
            }
        }
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
        try {
            deleteTree(staging);
        } catch (IOException | UncheckedIOException e) {
            System.err.println("lamina: could not delete the staging directory " + staging + ": " + e.getMessage());
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
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
