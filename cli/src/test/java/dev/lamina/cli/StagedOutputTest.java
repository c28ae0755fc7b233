package dev.lamina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.LaminaException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagedOutputTest {
    @TempDir
    Path dir;

    @Test
    void filesAppearOnlyOnCommit() throws Exception {
        Path target = dir.resolve("a/b/out");
        try (StagedOutput staged = StagedOutput.begin(target)) {
            Files.writeString(staged.file("x.txt"), "x");
            assertFalse(Files.exists(target), "nothing at the target before commit");
            staged.commit();
        }
        assertEquals("x", Files.readString(target.resolve("x.txt")));
        assertEquals(List.of(dir.resolve("a")), list(dir), "no staging directory left behind");
    }

    @Test
    void closingWithoutCommitLeavesNothing() throws Exception {
        try (StagedOutput staged = StagedOutput.begin(dir.resolve("out"))) {
            Files.writeString(staged.file("x.txt"), "x");
        }
        assertEquals(List.of(), list(dir));
    }

    @Test
    void commitReplacesFilesOfAnEarlierRun() throws Exception {
        Path target = Files.createDirectories(dir.resolve("out"));
        Files.writeString(target.resolve("x.txt"), "old");
        Files.writeString(target.resolve("keep.txt"), "mine");
        try (StagedOutput staged = StagedOutput.begin(target)) {
            Files.writeString(staged.file("x.txt"), "new");
            staged.commit();
        }
        assertEquals("new", Files.readString(target.resolve("x.txt")));
        assertTrue(Files.exists(target.resolve("keep.txt")));
    }

    @Test
    void aFileIsNotAnOutputDirectory() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "");
        assertThrows(LaminaException.class, () -> StagedOutput.checkTarget(file));
    }

    @Test
    void anInterruptedCommitIsCompletedByTheNextReaderAndItsRemovalsToo() throws Exception {
        Path target = Files.createDirectories(dir.resolve("out"));
        Files.writeString(target.resolve("a.txt"), "old a");
        Files.writeString(target.resolve("chart.png"), "old chart");
        Files.writeString(target.resolve("keep.txt"), "mine");
        // what a process killed after the commit point and one move leaves: b moved, a still in the journal
        Path journal = Files.createDirectory(target.resolve(StagedOutput.COMMIT_DIR));
        Files.writeString(journal.resolve("a.txt"), "new a");
        Files.write(journal.resolve(StagedOutput.REMOVE_LIST), List.of("chart.png"));
        Files.writeString(target.resolve("b.txt"), "new b");
        assertTrue(StagedOutput.finishInterruptedCommit(target));
        assertEquals("new a", Files.readString(target.resolve("a.txt")));
        assertEquals("new b", Files.readString(target.resolve("b.txt")));
        assertEquals("mine", Files.readString(target.resolve("keep.txt")));
        assertFalse(Files.exists(target.resolve("chart.png")), "the new run had no chart: the old one must not pass for it");
        assertFalse(Files.exists(journal));
        assertFalse(StagedOutput.finishInterruptedCommit(target), "nothing left to do");
    }

    @Test
    void aRemovedNameGoesWithTheCommit() throws Exception {
        Path target = Files.createDirectories(dir.resolve("out"));
        Files.writeString(target.resolve("chart.png"), "old chart");
        try (StagedOutput staged = StagedOutput.begin(target)) {
            Files.writeString(staged.file("model"), "new");
            staged.remove("chart.png");
            staged.commit();
        }
        assertEquals(List.of(target.resolve("model")), list(target));
    }

    @Test
    void stagingDirectoriesOfDeadProcessesAreRemovedAndThoseOfLiveOnesKept() throws Exception {
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        Path stale = Files.createDirectories(dir.resolve(StagedOutput.STAGING_PREFIX + dead.pid() + "-x").resolve("inner"));
        Path live = Files.createDirectory(dir.resolve(StagedOutput.STAGING_PREFIX + ProcessHandle.current().pid() + "-y"));
        Path foreign = Files.createDirectory(dir.resolve(StagedOutput.STAGING_PREFIX + "123456789"));
        try (StagedOutput staged = StagedOutput.begin(dir.resolve("out"))) {
            assertFalse(Files.exists(stale.getParent()), "a dead process's staging directory is removed");
            assertTrue(Files.exists(live), "a running process's is kept");
            assertTrue(Files.exists(foreign), "one not named by this version is left alone");
        }
    }

    @Test
    void aDirectoryThatCannotBeWrittenIsFoundBeforeTheRun() throws Exception {
        Path proc = Path.of("/proc");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(proc.resolve("self")), "a Linux /proc");
        String m = assertThrows(LaminaException.class, () -> StagedOutput.checkTarget(proc.resolve("x"))).getMessage();
        assertTrue(m.contains("Cannot write under /proc"), m);
    }

    private static List<Path> list(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
