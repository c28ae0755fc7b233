package dev.lamina.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.backend.ActivationKind;
import dev.lamina.backend.Backend;
import dev.lamina.backend.Storage;
import dev.lamina.backend.reference.ReferenceBackend;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Starts a JVM without {@code --add-modules jdk.incubator.vector}, as a user's would be, and checks
 * that the backend picks the portable path, says how to enable the fast one, and computes correctly
 * (no NoClassDefFoundError from a stray Vector API reference).
 */
class WithoutVectorApiTest {

    @Test
    void aJvmWithoutTheModuleRunsThePortablePath() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process process = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                WithoutVectorApiTest.class.getName()))
                .redirectErrorStream(true)
                .start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("portable path OK"), output);
        assertTrue(output.contains("--add-modules jdk.incubator.vector"), "no advice in the log: " + output);
    }

    /** The child JVM: a Dense layer forward on the default CPU backend, checked against the reference. */
    public static void main(String[] args) {
        if (VectorSupport.moduleAvailable()) {
            throw new AssertionError("the child JVM was started with the Vector API module");
        }
        CpuBackend cpu = new CpuBackend();
        if (cpu.usesVectorApi()) {
            throw new AssertionError("the backend chose the Vector API path without the module");
        }
        int rows = 67;
        int in = 300;
        int out = 129;
        float[] expected = dense(new ReferenceBackend(), rows, in, out);
        float[] actual = dense(cpu, rows, in, out);
        for (int i = 0; i < expected.length; i++) {
            if (Math.abs(expected[i] - actual[i]) > 1e-3 + 1e-3 * Math.abs(expected[i])) {
                throw new AssertionError("element " + i + ": " + expected[i] + " vs " + actual[i]);
            }
        }
        System.out.println("portable path OK");
    }

    private static float[] dense(Backend be, int rows, int in, int out) {
        Storage x = filled(be, rows * in, 0.37f);
        Storage w = filled(be, in * out, 0.11f);
        Storage b = filled(be, out, 0.53f);
        Storage z = be.allocate((long) rows * out);
        Storage y = be.allocate((long) rows * out);
        be.denseForward(x, w, b, ActivationKind.TANH, rows, in, out, z, y);
        float[] result = new float[rows * out];
        be.download(y, 0, result, 0, result.length);
        return result;
    }

    private static Storage filled(Backend be, int n, float step) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) Math.sin(i * step) * 0.2f;
        }
        Storage s = be.allocate(n);
        be.upload(values, 0, s, 0, n);
        return s;
    }
}
