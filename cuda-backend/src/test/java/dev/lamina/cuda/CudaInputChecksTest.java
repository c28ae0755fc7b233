package dev.lamina.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.LaminaException;
import dev.lamina.backend.ActivationKind;
import dev.lamina.backend.IndexStorage;
import dev.lamina.backend.Storage;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.Test;

/**
 * What a caller passes is checked on the host before a kernel sees it: sizes past 2³¹−1 elements
 * (the kernels count in 32-bit ints, and a wrapped count made a launch a silent no-op) and row
 * indices outside the source of {@code gatherRows} (which would fault the context every backend of
 * the process shares). The PTX is loaded once per process, however many backends there are.
 */
@DisplayNameGeneration(CudaModeDisplayNames.class)
class CudaInputChecksTest {

    @Test
    void tensorsPastTwoToTheThirtyOneElementsAreRefused() {
        CudaBackend cuda = CudaTestSupport.backend();
        LaminaException big = assertThrows(LaminaException.class, () -> cuda.allocate(Integer.MAX_VALUE + 1L));
        assertTrue(big.getMessage().contains("2147483648 floats") && big.getMessage().contains("32-bit"), big.getMessage());

        Storage x = cuda.allocate(4);
        try {
            // 65536 x 65536 wraps to 0 in int arithmetic: once a no-op, now an error naming the sizes
            LaminaException wrapped = assertThrows(LaminaException.class,
                    () -> cuda.activationForward(ActivationKind.RELU, x, x, 65536, 65536));
            assertTrue(wrapped.getMessage().contains("activationForward") && wrapped.getMessage().contains("65536 x 65536 = 4294967296"),
                    wrapped.getMessage());
            assertThrows(LaminaException.class, () -> cuda.biasAdd(x, x, 3, Integer.MAX_VALUE, x));
            assertThrows(LaminaException.class, () -> cuda.rowSums(x, -1, 4, x));
        } finally {
            cuda.release(x);
        }
    }

    @Test
    void gatherRowsRefusesIndicesOutsideTheSourceAndStillGathers() {
        CudaBackend cuda = CudaTestSupport.backend();
        Storage src = cuda.allocate(6); // 3 rows of 2
        cuda.upload(new float[] {0, 1, 10, 11, 20, 21}, 0, src, 0, 6);
        Storage dst = cuda.allocate(4);
        IndexStorage order = cuda.allocateIndices(4);
        try {
            cuda.uploadIndices(new int[] {2, 0, 3, -1}, 0, order, 0, 4);
            LaminaException past = assertThrows(LaminaException.class, () -> cuda.gatherRows(src, 2, order, 1, 2, dst));
            assertTrue(past.getMessage().contains("index 3 (position 2") && past.getMessage().contains("3 rows of 2"),
                    past.getMessage());
            LaminaException negative = assertThrows(LaminaException.class, () -> cuda.gatherRows(src, 2, order, 3, 1, dst));
            assertTrue(negative.getMessage().contains("index -1"), negative.getMessage());

            cuda.gatherRows(src, 2, order, 0, 2, dst); // rows 2 and 0: valid
            float[] out = new float[4];
            cuda.download(dst, 0, out, 0, 4);
            assertArrayEquals(new float[] {20, 21, 0, 1}, out);

            cuda.uploadIndices(new int[] {1}, 0, order, 2, 1); // overwrite the bad index: now allowed
            cuda.gatherRows(src, 2, order, 1, 2, dst);
            cuda.download(dst, 0, out, 0, 4);
            assertArrayEquals(new float[] {0, 1, 10, 11}, out);
        } finally {
            cuda.release(src);
            cuda.release(dst);
            cuda.release(order);
        }
    }

    @Test
    void thePtxIsLoadedOncePerProcess() {
        CudaTestSupport.backend();
        assertEquals(1, PtxModule.loads(), "the probe and the shared backend loaded it once");
        try (CudaBackend fresh = CudaTestSupport.freshBackend(); CudaBackend own = CudaTestSupport.kernelGemmBackend()) {
            assertEquals(fresh.gemmPathInUse().isEmpty(), own.gemmPathInUse().isEmpty());
        }
        assertEquals(1, PtxModule.loads(), "two more backends (one closed) did not load it again");
        assertTrue(PtxModule.loadMillis() >= 0, "the load (JIT included) was timed: " + PtxModule.loadMillis());
        // the module outlives closed backends: a new one still finds its kernels
        try (CudaBackend again = CudaTestSupport.freshBackend()) {
            Storage s = again.allocate(3);
            again.fill(s, 0, 3, 2f);
            float[] back = new float[3];
            again.download(s, 0, back, 0, 3);
            assertArrayEquals(new float[] {2, 2, 2}, back);
        }
    }
}
