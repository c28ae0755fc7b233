package dev.lamina.cuda;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lamina.backend.Backend;
import dev.lamina.conformance.BackendConformanceTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayNameGeneration;

/**
 * The conformance suite once more with Lamina's own SGEMM kernel forced, when the default backend
 * uses cuBLAS: so one run on a GPU with cuBLAS checks both GEMM paths. Where the default is the own
 * kernel already, {@link CudaConformanceTest} covers it and this one skips.
 */
@DisplayNameGeneration(CudaModeDisplayNames.class)
class CudaKernelGemmConformanceTest extends BackendConformanceTest {
    private static CudaBackend kernelGemm;

    @Override
    protected Backend backend() {
        assumeTrue(CudaTestSupport.backend().gemmPathInUse().equals("cublas"),
                "the default CUDA backend already uses the own SGEMM kernel (CudaConformanceTest covers it)");
        synchronized (CudaKernelGemmConformanceTest.class) {
            if (kernelGemm == null) {
                kernelGemm = CudaTestSupport.kernelGemmBackend();
            }
            return kernelGemm;
        }
    }

    @AfterAll
    static void close() {
        if (kernelGemm != null) {
            kernelGemm.close();
            kernelGemm = null;
        }
    }
}
