package dev.lamina.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lamina.backend.Storage;
import dev.lamina.backend.UnaryOp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.Test;

/**
 * Guards the emulated test runs (see docs/cuda-testing.md): where the build produced the emulated
 * GPU, CUDA must be usable and the run must exercise the GEMM path it is named after. Without this,
 * a stand-in that fails to load would turn every CUDA test into a quiet skip and the build would
 * still pass.
 */
@DisplayNameGeneration(CudaModeDisplayNames.class)
class EmulatedGpuRunTest {

    @Test
    void theEmulatedGpuIsUsedWhereItWasBuilt() throws IOException {
        String mode = System.getProperty("lamina.cuda.test.mode");
        String dir = System.getProperty("lamina.emulator.dir");
        assumeTrue(mode != null && mode.startsWith("emulated") && dir != null,
                "not an emulated test run (lamina.cuda.test.mode=" + mode + ")");
        Path unavailable = Path.of(dir, "UNAVAILABLE");
        if (Files.exists(unavailable)) {
            String why = Files.readString(unavailable, StandardCharsets.UTF_8).trim();
            assumeFalse(true, "the emulated GPU was not built here: " + why);
        }
        String reason = new CudaBackendProvider().unavailableReason();
        assertNull(reason, "the emulated GPU was built in " + dir
                + " but CUDA is not usable with it, so every CUDA test would only skip: " + reason);

        CudaBackend backend = CudaTestSupport.backend();
        assertTrue(backend.emulated(), "the device is the emulated GPU: " + backend.description());
        String expected = mode.startsWith("emulated-cublas") ? "cublas" : "kernel";
        assertEquals(expected, backend.gemmPathInUse(), "GEMM path of the " + mode + " run");
    }

    /**
     * The GPU-maths build (build.sh --gpu-maths) really computes expf 2 ulp from glibc, as a GPU may;
     * the ordinary build does not. So a pass named after the GPU-maths build cannot quietly run the
     * ordinary one, and its green tolerances mean something.
     */
    @Test
    void theGpuMathsBuildIsTwoUlpOffAndTheOrdinaryOneIsNot() {
        String mode = System.getProperty("lamina.cuda.test.mode");
        assumeTrue(mode != null && mode.startsWith("emulated"), "not an emulated test run (lamina.cuda.test.mode=" + mode + ")");
        CudaBackend cuda = CudaTestSupport.backend();
        int n = 1000;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = -10f + 20f * (i + 0.5f) / n;
        }
        Storage in = cuda.allocate(n);
        Storage out = cuda.allocate(n);
        float[] y = new float[n];
        try {
            cuda.upload(x, 0, in, 0, n);
            cuda.unary(UnaryOp.EXP, in, out, n);
            cuda.download(out, 0, y, 0, n);
        } finally {
            cuda.release(in);
            cuda.release(out);
        }
        int off = 0;
        double worst = 0;
        for (int i = 0; i < n; i++) {
            float exact = (float) Math.exp(x[i]);
            double ulps = Math.abs(y[i] - exact) / Math.ulp(exact);
            worst = Math.max(worst, ulps);
            off += ulps >= 1 ? 1 : 0;
        }
        if (mode.contains("gpu-maths")) {
            assertTrue(off > n * 9 / 10 && worst <= 3, "expf 2 ulp off in the GPU-maths build: " + off + " of " + n + " off, worst " + worst);
        } else {
            assertTrue(worst <= 1, "glibc's expf in the ordinary build: worst " + worst + " ulp");
        }
    }
}
