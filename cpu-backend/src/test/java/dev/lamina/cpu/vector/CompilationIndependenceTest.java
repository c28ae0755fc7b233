package dev.lamina.cpu.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The transcendental kernels give the same bits interpreted and compiled: the fingerprint of every
 * op after the JIT has compiled the loops in this JVM (thousands of calls) equals the fingerprint
 * computed by a second JVM started with {@code -Xint}, which runs the Vector API's Java fallback
 * code and never compiles anything. The Vector API's own {@code lanewise(EXP)} fails this: HotSpot
 * computes it with one routine in the interpreter and another (SVML) once compiled.
 */
class CompilationIndependenceTest {
    private static final int WARM_UP_CALLS = 20_000;

    @Test
    void compiledKernelsGiveTheInterpretersBits() throws Exception {
        VectorElementKernels kernels = new VectorElementKernels();
        assertTrue(!kernels.describe().contains("fast math"), "runs without -Dlamina.cpu.fastmath=true");
        long[] first = KernelFingerprint.compute(kernels);
        for (int i = 0; i < WARM_UP_CALLS; i++) {
            KernelFingerprint.compute(kernels);
        }
        long[] warm = KernelFingerprint.compute(kernels);
        long[] interpreted = interpreted();

        List<String> names = KernelFingerprint.names();
        List<String> differ = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            if (warm[i] != interpreted[i]) {
                differ.add(names.get(i));
            }
        }
        if (!differ.isEmpty()) {
            fail("compiled and -Xint results differ for " + differ);
        }
        assertArrayEquals(first, warm, "the first call and the warm ones");
    }

    /** The fingerprint as a JVM running only the interpreter computes it. */
    private static long[] interpreted() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = List.of(java, "--add-modules", "jdk.incubator.vector", "-Xint", "-Xss4m",
                "-cp", System.getProperty("java.class.path"), KernelFingerprint.class.getName());
        Path errors = Files.createTempFile("lamina-xint", ".txt");
        try {
            Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                fail("the -Xint JVM did not finish");
            }
            String stderr = Files.readString(errors);
            assertEquals(0, process.exitValue(), "the -Xint JVM failed: " + stderr);
            List<String> names = KernelFingerprint.names();
            String[] lines = new String(out, StandardCharsets.UTF_8).strip().split("\\R");
            assertEquals(names.size(), lines.length, "lines from the -Xint JVM: " + String.join("\n", lines) + stderr);
            long[] hashes = new long[lines.length];
            for (int i = 0; i < lines.length; i++) {
                String[] parts = lines[i].split("=");
                assertEquals(names.get(i), parts[0]);
                hashes[i] = Long.parseUnsignedLong(parts[1], 16);
            }
            return hashes;
        } finally {
            Files.deleteIfExists(errors);
        }
    }
}
