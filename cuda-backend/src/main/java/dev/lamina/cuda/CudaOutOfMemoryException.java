package dev.lamina.cuda;

/** The GPU has not enough free memory for an allocation, even after Lamina gave its cached blocks back. */
public final class CudaOutOfMemoryException extends CudaException {
    private final long requestedBytes;
    private final long freeBytes;

    CudaOutOfMemoryException(String message, long requestedBytes, long freeBytes, Throwable cause) {
        super(message, "CUDA_ERROR_OUT_OF_MEMORY", cause);
        this.requestedBytes = requestedBytes;
        this.freeBytes = freeBytes;
    }

    /** The bytes the failed {@code cuMemAlloc} asked for (the request rounded up to its size class). */
    public long requestedBytes() {
        return requestedBytes;
    }

    /** The free device memory the driver reported right after the failure, or -1 when it could not say. */
    public long freeBytes() {
        return freeBytes;
    }
}
