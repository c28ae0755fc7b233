package dev.lamina.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lamina.Sequential;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading from something that is not a regular file is refused at once: no hang on a pipe, no endless device. */
class SpecialFilesTest {
    @TempDir
    Path dir;

    private static void refusedQuickly(Path path, String fragment) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            String m = assertThrows(ModelFileException.class, () -> Sequential.load(path)).getMessage();
            assertTrue(m.contains(fragment), m);
        });
    }

    @Test
    void aDirectoryAPipeAndADeviceAreRefused() throws Exception {
        refusedQuickly(dir, "not a regular file");
        refusedQuickly(dir.resolve("absent.safetensors"), "no such file");
        Path zero = Path.of("/dev/zero");
        if (Files.exists(zero)) {
            refusedQuickly(zero, "not a regular file");
        }
        Path fifo = dir.resolve("pipe.safetensors");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "no mkfifo here");
            return;
        }
        assumeTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo failed");
        refusedQuickly(fifo, "not a regular file");
    }
}
