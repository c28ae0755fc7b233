package dev.lamina.cuda;

import dev.lamina.LaminaException;
import dev.lamina.backend.Backend;
import dev.lamina.backend.BackendProvider;

/**
 * Registers the CUDA backend. It is usable when JCuda's driver binding loads, the driver supports
 * CUDA 12.0 or newer, device 0 is Turing (7.5) or newer and the driver loads Lamina's kernels; the
 * answer is found once per JVM (see {@link CudaProbe}) and is cheap afterwards.
 */
public final class CudaBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public String unavailableReason() {
        try {
            String reason = CudaProbe.result().reason();
            if (reason != null) {
                return reason;
            }
            if (CudaBackend.gemmPath().equals("cublas") && CublasGemm.loadFailure() != null) {
                return "cuBLAS was asked for (-D" + CudaBackend.GEMM_PROPERTY + "=cublas) but cannot load: " + CublasGemm.loadFailure();
            }
            return null;
        } catch (RuntimeException | LinkageError e) {
            return "the CUDA check failed: " + e.getMessage();
        }
    }

    @Override
    public Backend create() {
        String reason = unavailableReason();
        if (reason != null) {
            throw new LaminaException("The CUDA backend is not usable here: " + reason + ".");
        }
        return new CudaBackend(CudaProbe.result().device());
    }
}
