package dev.lamina.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.Test;

/**
 * A driver that is too old, one that cannot compile the PTX, and a GPU that is too old each make
 * the CUDA backend unusable with a one-line reason, and {@code auto} chooses the CPU. The emulated
 * driver plays each of these in a child JVM (through its environment variables), so this runs only
 * under emulation.
 */
@DisplayNameGeneration(CudaModeDisplayNames.class)
class UnusableDriverTest {

    @Test
    void aDriverForCuda11IsTooOld() throws Exception {
        String out = probe(Map.of("LAMINA_EMU_DRIVER_VERSION", "11080"));
        assertTrue(out.contains("reason=the NVIDIA driver is too old: it supports CUDA 11.8"), out);
        assertTrue(out.contains("auto=cpu"), out);
    }

    @Test
    void aDriverThatCannotCompileThePtxIsRejected() throws Exception {
        String out = probe(Map.of("LAMINA_EMU_PTX_ISA_MAX", "7.8"));
        assertTrue(out.contains("reason=the driver cannot load Lamina's kernels (cuModuleLoadData: CUDA_ERROR_UNSUPPORTED_PTX_VERSION)"), out);
        assertTrue(out.contains("auto=cpu"), out);
    }

    @Test
    void aGpuOlderThanTuringIsRejected() throws Exception {
        String out = probe(Map.of("LAMINA_EMU_CC", "7.0"));
        assertTrue(out.contains("compute capability 7.0; Lamina's kernels need 7.5 (Turing) or newer"), out);
        assertTrue(out.contains("auto=cpu"), out);
    }

    /** Runs {@link ProbeMain} in a child JVM with this JVM's class path and library path plus {@code env}. */
    private static String probe(Map<String, String> env) throws IOException, InterruptedException {
        CudaTestSupport.assumeUsable();
        assumeTrue(CudaProbe.result().device().emulated(), "needs the emulated driver to play an unusable one");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                ProbeMain.class.getName()));
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
