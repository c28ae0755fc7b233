package dev.lamina.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.LaminaException;
import dev.lamina.backend.Storage;
import dev.lamina.backend.reference.ReferenceBackend;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.Test;

/** Errors a user can meet say what happened: out of memory with the bytes asked and free, misuse of storages. */
@DisplayNameGeneration(CudaModeDisplayNames.class)
class CudaErrorsTest {

    @Test
    void outOfMemoryNamesTheBytesAskedForAndFree() {
        CudaBackend cuda = CudaTestSupport.backend();
        long total = CudaProbe.result().device().totalBytes();
        // One tensor holds at most 2^31-1 floats (8 GiB), less than a large GPU has (an H200: 140 GiB),
        // so take the device in chunks until the driver says no.
        long chunk = Math.min((total + (1L << 20)) / Float.BYTES, 1L << 29);
        List<Storage> taken = new ArrayList<>();
        CudaOutOfMemoryException e;
        try {
            e = assertThrows(CudaOutOfMemoryException.class, () -> {
                for (long held = 0; held <= total + chunk * Float.BYTES; held += chunk * Float.BYTES) {
                    taken.add(cuda.allocate(chunk));
                }
            }, "allocated more than the device's " + total + " bytes without running out");
        } finally {
            taken.forEach(cuda::release);
            cuda.trimMemory();
        }
        System.out.println("[" + CudaTestSupport.mode() + "] after " + taken.size() + " chunks: " + e.getMessage());
        assertTrue(e.requestedBytes() >= chunk * Float.BYTES, "requested " + e.requestedBytes());
        assertTrue(e.freeBytes() >= 0 && e.freeBytes() <= total, "free " + e.freeBytes());
        assertTrue(e.getMessage().contains(e.requestedBytes() + " bytes"), e.getMessage());
        assertTrue(e.getMessage().contains(e.freeBytes() + " bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("CUDA_ERROR_OUT_OF_MEMORY"), e.getMessage());
        assertEquals("CUDA_ERROR_OUT_OF_MEMORY", e.errorName());
        // the backend still works afterwards
        Storage s = cuda.allocate(10);
        cuda.fill(s, 0, 10, 3f);
        float[] back = new float[10];
        cuda.download(s, 0, back, 0, 10);
        assertEquals(3f, back[9]);
        cuda.release(s);
    }

    @Test
    void storagesCannotCrossBackendsOrOutliveTheirRelease() {
        CudaBackend cuda = CudaTestSupport.backend();
        Storage foreign = new ReferenceBackend().allocate(4);
        Storage mine = cuda.allocate(4);
        LaminaException cross = assertThrows(LaminaException.class, () -> cuda.copy(foreign, 0, mine, 0, 4));
        assertTrue(cross.getMessage().contains("another backend"), cross.getMessage());
        LaminaException range = assertThrows(LaminaException.class, () -> cuda.upload(new float[8], 0, mine, 0, 8));
        assertTrue(range.getMessage().contains("does not fit"), range.getMessage());
        cuda.release(mine);
        LaminaException released = assertThrows(LaminaException.class, () -> cuda.fill(mine, 0, 4, 1f));
        assertTrue(released.getMessage().contains("released"), released.getMessage());
    }

    @Test
    void aWrongGemmPathPropertyIsExplained() {
        String old = System.getProperty(CudaBackend.GEMM_PROPERTY);
        System.setProperty(CudaBackend.GEMM_PROPERTY, "fast");
        try {
            LaminaException e = assertThrows(LaminaException.class, CudaBackend::gemmPath);
            assertTrue(e.getMessage().contains("auto, cublas or kernel"), e.getMessage());
        } finally {
            if (old == null) {
                System.clearProperty(CudaBackend.GEMM_PROPERTY);
            } else {
                System.setProperty(CudaBackend.GEMM_PROPERTY, old);
            }
        }
    }
}
