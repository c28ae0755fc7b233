package dev.lamina.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files Lamina writes through a temporary file get the mode any other new file gets (0666 less the
 * umask): Files.createTempFile's 0600 would survive the rename, and a model could not be shared.
 */
class FileModeTest {
    @TempDir
    Path dir;

    private String plainMode() throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(Files.createFile(dir.resolve("plain"))));
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void atomicWritesAndModelFilesHonourTheUmask() throws Exception {
        assumeTrue(Files.getFileStore(dir).supportsFileAttributeView("posix"), "POSIX permissions");
        String expected = plainMode();
        Path report = dir.resolve("report.json");
        AtomicFiles.write(report, tmp -> Files.writeString(tmp, "{}"));
        assertEquals(expected, mode(report));
        Path model = dir.resolve("model.safetensors");
        SafeTensors.write(model, Map.of(), List.of(new SafeTensors.Entry("w", new long[] {2}, new float[] {1, 2})));
        assertEquals(expected, mode(model));
    }
}
