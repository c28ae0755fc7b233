package dev.lamina.cuda;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What the CUDA tests share: one backend per JVM (creating a context is slow on a GPU), the reason
 * to skip when CUDA is not usable here, and the mode the tests run in, for their display names.
 *
 * <p>Modes: "GPU" on a real device; "emulated" when the device is Lamina's stand-in driver, which
 * runs the kernels on the CPU (see README.md of this module); each with the GEMM path in use.
 */
final class CudaTestSupport {
    private static CudaBackend shared;

    private CudaTestSupport() {
    }

    /** Null when CUDA is usable here, otherwise why not (as {@code auto} reports it). */
    static String unavailableReason() {
        String reason = new CudaBackendProvider().unavailableReason();
        if (reason == null) {
            return null;
        }
        String mode = System.getProperty("lamina.cuda.test.mode");
        return "CUDA not usable here: " + reason + (mode == null ? "" : " (lamina.cuda.test.mode=" + mode + ")");
    }

    /** The shared backend; skips the calling test (with the reason) when CUDA is not usable. */
    static synchronized CudaBackend backend() {
        assumeUsable();
        if (shared == null) {
            shared = (CudaBackend) new CudaBackendProvider().create();
        }
        return shared;
    }

    /** A backend of its own, for tests that close it; skips when CUDA is not usable. */
    static CudaBackend freshBackend() {
        assumeUsable();
        return (CudaBackend) new CudaBackendProvider().create();
    }

    /** A backend of its own that always uses Lamina's SGEMM kernel, so one run tests both GEMM paths. */
    static CudaBackend kernelGemmBackend() {
        assumeUsable();
        return new CudaBackend(CudaProbe.result().device(), "kernel");
    }

    /**
     * As {@link #kernelGemmBackend()}, but told the GPU has {@code multiprocessors} SMs: the choice
     * between the 128×128, 64×64 and split-k kernels depends on it, so an emulated GPU with few
     * "SMs" can be made to take the paths a large GPU takes.
     */
    static CudaBackend kernelGemmBackend(int multiprocessors) {
        assumeUsable();
        DeviceInfo d = CudaProbe.result().device();
        return new CudaBackend(new DeviceInfo(d.name(), d.ccMajor(), d.ccMinor(), multiprocessors, d.totalBytes(),
                d.driverVersion()), "kernel");
    }

    static void assumeUsable() {
        String reason = unavailableReason();
        assumeTrue(reason == null, reason);
    }

    /**
     * "emulated, cuBLAS", "GPU, own GEMM kernel", "emulated, own GEMM kernel, GPU maths" (the emulator
     * built with a GPU's arithmetic) or "no CUDA" — for display names.
     */
    static String mode() {
        if (unavailableReason() != null) {
            return "no CUDA: skipped";
        }
        DeviceInfo device = CudaProbe.result().device();
        String gemm;
        String path = CudaBackend.gemmPath();
        if (path.equals("kernel") || (path.equals("auto") && CublasGemm.loadFailure() != null)) {
            gemm = "own GEMM kernel";
        } else {
            gemm = "cuBLAS";
        }
        String maths = System.getProperty("lamina.cuda.test.mode", "").contains("gpu-maths") ? ", GPU maths" : "";
        return (device.emulated() ? "emulated" : "GPU") + ", " + gemm + maths;
    }
}
