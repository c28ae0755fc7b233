package dev.lamina.cuda;

import dev.lamina.LaminaException;

/**
 * An error from the CUDA driver or cuBLAS, with what Lamina was doing when it happened. JCuda's own
 * exceptions carry only the bare enum name ({@code CUDA_ERROR_LAUNCH_FAILED}); this one says which
 * operation or kernel failed and what it means for the user.
 */
public class CudaException extends LaminaException {
    private final String errorName;

    public CudaException(String message, String errorName, Throwable cause) {
        super(message, cause);
        this.errorName = errorName;
    }

    /** The driver's or cuBLAS' error name ({@code CUDA_ERROR_...}), or null when the error is Lamina's own. */
    public String errorName() {
        return errorName;
    }

    /** Wraps a JCuda error raised while doing {@code what} ("cuMemcpyDtoH of 4096 bytes", "kernel bias_add"). */
    static CudaException wrap(String what, jcuda.CudaException e) {
        String name = e.getMessage();
        return new CudaException("CUDA failed in " + what + ": " + name + meaning(name), name, e);
    }

    /** What an error means for the user, for the errors a user can act on. */
    private static String meaning(String name) {
        if (name == null) {
            return "";
        }
        switch (name) {
            case "CUDA_ERROR_ILLEGAL_ADDRESS":
            case "CUDA_ERROR_LAUNCH_FAILED":
            case "CUDA_ERROR_HARDWARE_STACK_ERROR":
            case "CUDA_ERROR_ILLEGAL_INSTRUCTION":
            case "CUDA_ERROR_MISALIGNED_ADDRESS":
            case "CUDA_ERROR_INVALID_PC":
            case "CUDA_ERROR_ECC_UNCORRECTABLE":
                return ". A kernel faulted; the CUDA context is now dead and every later CUDA call fails."
                        + " Restart the JVM; to find the kernel that faulted, run with -Dlamina.cuda.sync=true"
                        + " (each launch then waits for its kernel), and report it as a Lamina bug.";
            case "CUDA_ERROR_CONTEXT_IS_DESTROYED":
            case "CUDA_ERROR_DEINITIALIZED":
            case "CUDA_ERROR_INVALID_CONTEXT":
                return ". The CUDA context is gone (the backend was closed, or an earlier error destroyed it);"
                        + " restart the JVM or create a new backend.";
            case "CUDA_ERROR_LAUNCH_TIMEOUT":
                return ". The kernel ran past the display watchdog's limit; use a GPU without a display attached.";
            case "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES":
                return ". The launch asked for more registers or shared memory than the GPU has (a Lamina bug).";
            case "CUDA_ERROR_UNSUPPORTED_PTX_VERSION":
            case "CUDA_ERROR_INVALID_PTX":
                return ". The driver cannot compile Lamina's kernels; update the NVIDIA driver to one for CUDA 12.0 or newer.";
            default:
                return "";
        }
    }
}
