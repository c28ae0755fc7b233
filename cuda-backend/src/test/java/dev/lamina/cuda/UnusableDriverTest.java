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
        // the JIT's own error log comes with the error name (cuModuleLoadDataEx's log buffer)
        assertTrue(out.contains("reason=the driver cannot load Lamina's kernels (cuModuleLoadDataEx: CUDA_ERROR_UNSUPPORTED_PTX_VERSION;"
                + " JIT log: ptxas application ptx input, line 1; fatal : Unsupported .version 8.0; current version is '7.8')"), out);
        assertTrue(out.contains("auto=cpu"), out);
    }

    @Test
    void withoutCublasTheBackendSaysWhyInItsDescriptionAndPrintsNothing() throws Exception {
        String dir = System.getProperty("lamina.emulator.dir");
        assumeTrue(dir != null, "needs lamina.emulator.dir");
        // only the driver stand-in on the library path: JCublas2 cannot load, as on a CUDA-13 machine
        String out = probe(Map.of("LD_LIBRARY_PATH", Path.of(dir, "cuda").toString()), "create");
        assertTrue(out.contains("GEMM: own SGEMM kernel (cuBLAS cannot load: libcublas.so.12"), out);
        // the fallback is a normal state there: no console line for it (a CLI's one-line error stays one line)
        assertTrue(!out.contains("cuBLAS is not available"), "no log line about the fallback: " + out);
    }

    @Test
    void aGpuOlderThanTuringIsRejected() throws Exception {
        String out = probe(Map.of("LAMINA_EMU_CC", "7.0"));
        assertTrue(out.contains("compute capability 7.0; Lamina's kernels need 7.5 (Turing) or newer"), out);
        assertTrue(out.contains("auto=cpu"), out);
    }

    /** Runs {@link ProbeMain} (with {@code args}) in a child JVM with this JVM's class path and library path plus {@code env}. */
    private static String probe(Map<String, String> env, String... args) throws IOException, InterruptedException {
        CudaTestSupport.assumeUsable();
        assumeTrue(CudaProbe.result().device().emulated(), "needs the emulated driver to play an unusable one");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new java.util.ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                ProbeMain.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
