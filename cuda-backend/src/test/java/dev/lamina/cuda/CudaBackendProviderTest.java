package dev.lamina.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.LaminaException;
import dev.lamina.backend.BackendProvider;
import dev.lamina.backend.Backends;
import java.util.ServiceLoader;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.Test;

/** Discovery and the choice of {@code auto}: these run on every machine, with or without a GPU. */
@DisplayNameGeneration(CudaModeDisplayNames.class)
class CudaBackendProviderTest {

    @Test
    void isFoundThroughServiceLoader() {
        boolean found = false;
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            if (p instanceof CudaBackendProvider) {
                found = true;
                assertEquals("cuda", p.name());
                assertEquals(100, p.priority());
            }
        }
        assertTrue(found, "CudaBackendProvider is listed in META-INF/services");
    }

    @Test
    void theReasonIsOneLineAndRememberedWithoutThrowing() {
        CudaBackendProvider provider = new CudaBackendProvider();
        String first = provider.unavailableReason();
        String second = provider.unavailableReason();
        assertEquals(first, second);
        assertSame(CudaProbe.result(), CudaProbe.result(), "probed once");
        if (first != null) {
            assertFalse(first.contains("\n"), first);
            LaminaException e = assertThrows(LaminaException.class, provider::create);
            assertTrue(e.getMessage().contains(first), e.getMessage());
        }
    }

    @Test
    void autoChoosesCudaOnlyWhenUsableAndSaysWhyNot() {
        String reason = new CudaBackendProvider().unavailableReason();
        String described = Backends.describe();
        System.out.println("[" + CudaTestSupport.mode() + "] Backends.describe():\n" + described);
        if (reason == null) {
            assertTrue(Backends.available().contains("cuda"));
            assertTrue(described.contains("cuda: usable"), described);
        } else {
            assertFalse(Backends.available().contains("cuda"));
            assertNotEquals("cuda", Backends.get("auto").name());
            assertTrue(described.contains("cuda: not usable: " + reason), described);
        }
    }

    @Test
    void describesTheDeviceAndGemmPath() {
        CudaBackend cuda = CudaTestSupport.backend();
        String d = cuda.description();
        DeviceInfo info = CudaProbe.result().device();
        assertTrue(d.startsWith("cuda: " + info.name()), d);
        assertTrue(d.contains("compute capability " + info.ccMajor() + "." + info.ccMinor()), d);
        assertTrue(d.contains("GiB total") && d.contains("free"), d);
        assertTrue(d.contains("driver: CUDA " + info.driverVersionText()), d);
        assertTrue(d.contains(cuda.gemmPathInUse().equals("cublas") ? "GEMM: cuBLAS" : "GEMM: own SGEMM kernel"), d);
        assertTrue(d.contains("TF32"), d);
        assertEquals(info.emulated(), d.contains("mode: emulated"), d);
    }

    @Test
    void theKernelsNumberCoreEnumsAsCoreDoes() {
        Kernels.checkEnumOrders();
    }

    @Test
    void theShippedPtxIsIsa80ForCuda12Drivers() {
        String ptx;
        try {
            ptx = Kernels.ptxSource();
        } catch (LaminaException missing) {
            org.junit.jupiter.api.Assumptions.abort("PTX not committed yet: " + missing.getMessage());
            return;
        }
        assertTrue(ptx.contains(".version 8.0"), "PTX ISA 8.0 so CUDA 12.0 drivers can JIT it");
    }
}
