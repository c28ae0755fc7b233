package dev.lamina.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.Test;

/** The wording of CUDA errors and probe reasons; needs no GPU. */
@DisplayNameGeneration(CudaModeDisplayNames.class)
class CudaMessagesTest {

    @Test
    void aKernelFaultSaysTheContextIsDeadAndWhatFailed() {
        CudaException e = CudaException.wrap("launching kernel lamina_bias_add (grid 4x1, block 256x1)",
                new jcuda.CudaException("CUDA_ERROR_ILLEGAL_ADDRESS"));
        assertEquals("CUDA_ERROR_ILLEGAL_ADDRESS", e.errorName());
        assertTrue(e.getMessage().contains("lamina_bias_add"), e.getMessage());
        assertTrue(e.getMessage().contains("context is now dead"), e.getMessage());
        assertTrue(e.getMessage().contains("Restart the JVM"), e.getMessage());
    }

    @Test
    void aDestroyedContextAndAnOldDriverAreExplained() {
        assertTrue(CudaException.wrap("cuMemAlloc of 256 bytes", new jcuda.CudaException("CUDA_ERROR_CONTEXT_IS_DESTROYED"))
                .getMessage().contains("The CUDA context is gone"));
        assertTrue(CudaException.wrap("cuModuleLoadData", new jcuda.CudaException("CUDA_ERROR_UNSUPPORTED_PTX_VERSION"))
                .getMessage().contains("update the NVIDIA driver"));
        CudaException plain = CudaException.wrap("cuMemcpyDtoHAsync of 4 bytes", new jcuda.CudaException("CUDA_ERROR_INVALID_VALUE"));
        assertEquals("CUDA failed in cuMemcpyDtoHAsync of 4 bytes: CUDA_ERROR_INVALID_VALUE", plain.getMessage());
    }

    @Test
    void lateFaultsNameTheKernelsQueuedSinceTheLastSync() {
        LaunchLog log = new LaunchLog();
        assertEquals("", log.describe());
        for (String k : new String[] {"a", "b", "c", "d", "e", "f", "g", "h"}) {
            log.add(k);
        }
        assertEquals("; kernels queued since the GPU was last idle (newest last): c, d, e, f, g, h (8 in all)", log.describe());
        log.clear();
        log.add("lamina_softmax_rows");
        assertEquals("; kernels queued since the GPU was last idle (newest last): lamina_softmax_rows (1 in all)", log.describe());
    }

    @Test
    void aMissingNativeLibraryIsOneLine() {
        String jcudaMessage = "Error while loading native library \"JCudaDriver-12.6.0-linux-x86_64\"\n"
                + "Operating system name: Linux\n"
                + "Stack trace from the attempt to load the library as a resource:\n"
                + "java.lang.UnsatisfiedLinkError: /tmp/libJCudaDriver-12.6.0-linux-x86_64.so: libcuda.so.1: cannot open"
                + " shared object file: No such file or directory\n"
                + "\tat java.base/jdk.internal.loader.NativeLibraries.load(Native Method)\n";
        assertEquals("libcuda.so.1: cannot open shared object file: No such file or directory",
                NativeLoadFailure.summary(new UnsatisfiedLinkError(jcudaMessage)));
        assertEquals("NoClassDefFoundError: Could not initialize class jcuda.driver.JCudaDriver",
                NativeLoadFailure.summary(new NoClassDefFoundError("Could not initialize class jcuda.driver.JCudaDriver")));
    }

    @Test
    void driverVersionsReadAsCudaReleases() {
        assertEquals("12.0", DeviceInfo.versionText(12000));
        assertEquals("12.8", DeviceInfo.versionText(12080));
        assertEquals("13.0", DeviceInfo.versionText(13000));
        assertTrue(new DeviceInfo("Lamina emulated GPU", 8, 0, 4, 1L << 32, 12000).emulated());
        assertTrue(!new DeviceInfo("NVIDIA H200", 9, 0, 132, 141L << 30, 12080).emulated());
    }
}
