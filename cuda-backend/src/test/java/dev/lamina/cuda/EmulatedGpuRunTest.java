package dev.lamina.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
        String expected = mode.equals("emulated-cublas") ? "cublas" : "kernel";
        assertEquals(expected, backend.gemmPathInUse(), "GEMM path of the " + mode + " run");
    }
}
