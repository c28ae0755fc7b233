package dev.lamina.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRelease;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuModuleLoadDataJIT;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUjit_option;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.JITOptions;

/**
 * Lamina's kernels, loaded into device 0's primary context once per process and shared by the
 * probe and every {@link CudaBackend}.
 *
 * <p>Loading PTX makes the driver JIT-compile it for the GPU (a noticeable pause on a cold cache),
 * so it happens once. The module keeps its own retain of the primary context: backends that close
 * release theirs, but the context, and the module in it, live until the process ends.
 *
 * <p>The load goes through {@code cuModuleLoadDataEx} with an error-log buffer, so a PTX the driver
 * rejects says why (the JIT's own message), not only {@code CUDA_ERROR_INVALID_PTX}. A failure is
 * remembered: a driver that cannot compile the PTX will not compile it on a second try either.
 */
final class PtxModule {
    private static final int LOG_BYTES = 16 * 1024;

    private static CUmodule module;
    private static CudaException failure;
    private static long loadNanos = -1;
    private static int loads;

    private PtxModule() {
    }

    /**
     * The loaded module, loading it on first use. Leaves the primary context current on the calling
     * thread. Throws a {@link CudaException} with the driver's JIT log when the PTX cannot be loaded.
     */
    static synchronized CUmodule get() {
        if (module != null) {
            return module;
        }
        if (failure != null) {
            throw failure;
        }
        CUdevice device = new CUdevice();
        CUcontext context = new CUcontext();
        try {
            cuDeviceGet(device, 0);
            cuDevicePrimaryCtxRetain(context, device);
        } catch (jcuda.CudaException e) {
            throw CudaException.wrap("retaining the primary context to load Lamina's kernels", e);
        }
        try {
            cuCtxSetCurrent(context);
            module = load();
            return module;
        } catch (CudaException e) {
            failure = e;
            cuDevicePrimaryCtxRelease(device);
            throw e;
        } catch (jcuda.CudaException e) {
            cuDevicePrimaryCtxRelease(device);
            throw CudaException.wrap("loading Lamina's kernels", e);
        }
    }

    private static CUmodule load() {
        byte[] source = Kernels.ptxSource().getBytes(StandardCharsets.US_ASCII);
        byte[] image = Arrays.copyOf(source, source.length + 1); // the driver reads a NUL-terminated string
        JITOptions jit = new JITOptions();
        jit.putBytes(CUjit_option.CU_JIT_ERROR_LOG_BUFFER, new byte[LOG_BYTES]);
        jit.putInt(CUjit_option.CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES, LOG_BYTES);
        CUmodule loaded = new CUmodule();
        long start = System.nanoTime();
        int result = cuModuleLoadDataJIT(loaded, Pointer.to(image), jit);
        loads++;
        if (result != CUresult.CUDA_SUCCESS) {
            String name = CUresult.stringFor(result);
            String log = jitLog(jit);
            throw new CudaException("The driver cannot load Lamina's kernels (cuModuleLoadDataEx: " + name
                    + (log.isEmpty() ? "" : "; JIT log: " + log) + "); update the NVIDIA driver to one for CUDA 12.0 or newer.",
                    name, null);
        }
        loadNanos = System.nanoTime() - start;
        return loaded;
    }

    /** The error log the JIT wrote, on one line (empty when it wrote none). */
    private static String jitLog(JITOptions jit) {
        byte[] bytes = jit.getBytes(CUjit_option.CU_JIT_ERROR_LOG_BUFFER);
        int length = 0;
        while (bytes != null && length < bytes.length && bytes[length] != 0) {
            length++;
        }
        return length == 0 ? "" : new String(bytes, 0, length, StandardCharsets.UTF_8).trim().replaceAll("\\s*\n\\s*", " | ");
    }

    /** How long the one load took, JIT compilation included, in milliseconds; -1 before it or when it failed. */
    static synchronized double loadMillis() {
        return loadNanos < 0 ? -1 : loadNanos / 1e6;
    }

    /** How many times this process asked the driver to load the PTX (1 once loaded: never more). */
    static synchronized int loads() {
        return loads;
    }
}
