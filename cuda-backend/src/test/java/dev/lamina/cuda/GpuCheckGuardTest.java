package dev.lamina.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gpu-check's guard: {@code -Dlamina.cuda.expect=gpu} fails on this machine (no GPU: the emulated
 * driver, or no CUDA at all) with a reason that says so, and the report carries it.
 */
@DisplayNameGeneration(CudaModeDisplayNames.class)
class GpuCheckGuardTest {

    @Test
    void expectGpuFailsHereWithTheReason(@TempDir Path out) throws Exception {
        CudaInternals.Device device = CudaInternals.device();
        boolean realGpu = CudaInternals.unavailableReason() == null && device != null && !device.emulated();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "--add-modules", "jdk.incubator.vector",
                "-Dlamina.cuda.expect=gpu", "-cp", System.getProperty("java.class.path"),
                "dev.lamina.cuda.gpucheck.GpuCheck", out.toString(), "--phases", "env"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String console = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "gpu-check finished");
        assertEquals(1, p.exitValue(), console);
        String report = Files.readString(out.resolve("gpu-check.md"), StandardCharsets.UTF_8);
        assertTrue(report.contains("verdict: **FAILED**"), report);
        String expected;
        if (realGpu) {
            expected = "CUDA tests executed in the own-kernel pass; at least"; // only the env phase ran
        } else if (CudaInternals.unavailableReason() == null) {
            expected = "expect=gpu but the device is Lamina's emulated GPU";
        } else {
            expected = "expect=gpu but CUDA is not usable here: " + CudaInternals.unavailableReason();
        }
        assertTrue(report.contains("guard: **") && report.contains(expected), "report says why:\n" + report);
        assertTrue(console.contains("gpu-check FAILED (expect=gpu)") && console.contains(expected), console);
        assertTrue(Files.readString(out.resolve("gpu-check.json"), StandardCharsets.UTF_8).contains("\"passed\": false"));
    }
}
