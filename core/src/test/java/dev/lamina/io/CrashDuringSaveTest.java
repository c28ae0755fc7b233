package dev.lamina.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.LaminaException;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saving writes a temporary file and renames it, so a crash in the middle of a save leaves the old
 * file whole. The crash is real: a child JVM saves a large file in a loop and is killed (SIGKILL)
 * while a temporary file is being written; the file under the real name must then be one
 * complete save, every value from the same round.
 */
class CrashDuringSaveTest {
    private static final int FLOATS = 4_000_000; // 16 MB: a save takes long enough to be caught half-way

    @TempDir
    Path dir;

    @Test
    void aProcessKilledMidSaveLeavesTheOldFileWhole() throws Exception {
        Path file = dir.resolve("model.safetensors");
        SafeTensors.write(file, Map.of("round", "0"), List.of(new SafeTensors.Entry("w", new long[] {FLOATS}, new float[FLOATS])));
        int killedMidWrite = 0;
        for (int attempt = 0; attempt < 3; attempt++) {
            Process child = new ProcessBuilder(javaBinary(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    SaveForever.class.getName(), file.toString(), Integer.toString(FLOATS))
                    .redirectErrorStream(true).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                assertEquals("started", out.readLine());
                // wait until a save is under way (a temporary file exists), then kill without warning
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (temporaryFiles().isEmpty() && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                if (!temporaryFiles().isEmpty()) {
                    killedMidWrite++;
                }
            } finally {
                child.destroyForcibly();
                child.waitFor(30, TimeUnit.SECONDS);
            }
            SafeTensors.Contents contents = SafeTensors.read(file);
            float[] w = contents.tensors.get("w").data;
            assertEquals(FLOATS, w.length);
            float round = Float.parseFloat(contents.metadata.get("round"));
            for (int i = 0; i < w.length; i++) {
                if (w[i] != round) {
                    throw new AssertionError("value " + i + " is " + w[i] + " in a file saved in round " + round);
                }
            }
            // a crash may leave a temporary file behind; it never replaces the real one
            for (Path t : temporaryFiles()) {
                Files.delete(t);
            }
        }
        assertTrue(killedMidWrite > 0, "the child was never caught writing");
    }

    /**
     * A write that fails half-way, as on a full disk: the child may write at most 4 MB per file
     * (ulimit -f), so saving 16 MB fails with "File too large" in the middle of the tensor data.
     */
    @Test
    void aWriteThatFailsHalfWayLeavesTheOldFileAndNoTemporaryFile() throws Exception {
        Path file = dir.resolve("model.safetensors");
        SafeTensors.write(file, Map.of("round", "old"), List.of(new SafeTensors.Entry("w", new long[] {3}, new float[] {1, 2, 3})));
        byte[] before = Files.readAllBytes(file);
        String command = "ulimit -f 4096 && exec '" + javaBinary() + "' -Xmx256m -cp '" + System.getProperty("java.class.path")
                + "' " + SaveOnce.class.getName() + " '" + file + "' " + FLOATS;
        Process child;
        try {
            child = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            org.junit.jupiter.api.Assumptions.assumeTrue(false, "no bash here");
            return;
        }
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertTrue(out.contains("refused: Cannot write " + file) && out.contains("File too large"), out);
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(file)), "the old file changed");
        assertTrue(temporaryFiles().isEmpty(), "a failed save removes its temporary file: " + temporaryFiles());
    }

    @Test
    void aSaveThatFailsBeforeTheRenameLeavesTheOldFileAndNoTemporaryFile() throws Exception {
        Path file = dir.resolve("weights.safetensors");
        SafeTensors.write(file, Map.of(), List.of(new SafeTensors.Entry("w", new long[] {3}, new float[] {1, 2, 3})));
        byte[] before = Files.readAllBytes(file);
        // an entry whose shape does not match its values is refused before a byte is written
        LaminaException e = assertThrows(LaminaException.class, () -> SafeTensors.write(file, Map.of(),
                List.of(new SafeTensors.Entry("w", new long[] {4}, new float[] {1, 2, 3}))));
        assertTrue(e.getMessage().contains("holds 4 values but 3 were given"), e.getMessage());
        // the rename fails: the target is a non-empty directory
        Path blocked = dir.resolve("blocked");
        Files.createDirectories(blocked.resolve("inside"));
        assertThrows(LaminaException.class, () -> SafeTensors.write(blocked, Map.of(),
                List.of(new SafeTensors.Entry("w", new long[] {1}, new float[] {1}))));
        assertTrue(Files.isDirectory(blocked.resolve("inside")));
        assertTrue(temporaryFiles().isEmpty(), "a failed save removes its temporary file: " + temporaryFiles());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(file)));
    }

    private List<Path> temporaryFiles() throws java.io.IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).collect(java.util.stream.Collectors.toList());
        }
    }

    private static String javaBinary() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }
}
