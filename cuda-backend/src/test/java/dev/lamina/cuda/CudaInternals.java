package dev.lamina.cuda;

/**
 * What {@code gpu-check} (package {@code dev.lamina.cuda.gpucheck}) reads from the backend's
 * package-private parts: the probe's findings, the PTX load, cuBLAS' availability, and backends
 * with a chosen GEMM path or SM count. Test code only.
 */
public final class CudaInternals {
    private CudaInternals() {
    }

    /** Null when CUDA is usable here (with the GEMM path the system properties ask for), else why not. */
    public static String unavailableReason() {
        return new CudaBackendProvider().unavailableReason();
    }

    /** The probe's device facts, or null when no device was found. */
    public static Device device() {
        DeviceInfo d = CudaProbe.result().device();
        return d == null ? null : new Device(d.name(), d.ccMajor() + "." + d.ccMinor(), d.multiprocessors(), d.totalBytes(),
                d.driverVersionText(), d.emulated());
    }

    /** The device as the probe saw it. */
    public record Device(String name, String computeCapability, int multiprocessors, long totalBytes, String driverCuda,
                         boolean emulated) {
    }

    /** Milliseconds the one PTX load took (the driver's JIT compilation included); -1 if not loaded. */
    public static double ptxLoadMillis() {
        return PtxModule.loadMillis();
    }

    /** Null when JCublas2 and libcublas.so.12 load here, else why not. */
    public static String cublasLoadFailure() {
        return CublasGemm.loadFailure();
    }

    /** A new backend with GEMM path "cublas" or "kernel" (closing it is the caller's job). */
    public static CudaBackend backend(String gemmPath) {
        return new CudaBackend(CudaProbe.result().device(), gemmPath);
    }

    /** A backend on the own SGEMM kernel, told the GPU has {@code multiprocessors} SMs (which picks the tile kernel). */
    public static CudaBackend kernelBackend(int multiprocessors) {
        DeviceInfo d = CudaProbe.result().device();
        return new CudaBackend(new DeviceInfo(d.name(), d.ccMajor(), d.ccMinor(), multiprocessors, d.totalBytes(),
                d.driverVersion()), "kernel");
    }

    /** Which own-SGEMM kernel a product of this shape takes on a GPU with {@code multiprocessors} SMs (KERNELS.md, class G). */
    public static String kernelFor(int m, int n, int k, int multiprocessors) {
        long bigTiles = (long) ((m + 127) / 128) * ((n + 127) / 128);
        if (bigTiles >= multiprocessors) {
            return "128x128";
        }
        int splits = new KernelGemm(null, null, multiprocessors, null, "").splits(m, n, k);
        return splits > 1 ? "64x64 split-k (" + splits + " splits)" : "64x64";
    }
}
