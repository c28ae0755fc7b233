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

    private static List<Path> list(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
