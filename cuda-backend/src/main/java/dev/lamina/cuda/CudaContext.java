package dev.lamina.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRelease;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuMemGetInfo;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamDestroy;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import dev.lamina.LaminaException;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;

/**
 * Device 0, its primary context and the one stream all of the backend's work is queued on.
 *
 * <p>The primary context (not {@code cuCtxCreate}) is used so that driver-API memory and cuBLAS,
 * which goes through the runtime API, share one context. A context is current per thread, so every
 * entry point calls {@link #makeCurrent()}; a thread-local remembers which threads are set already.
 * One created stream orders everything: kernels, cuBLAS, copies, and the reuse of pooled memory.
 */
final class CudaContext implements AutoCloseable {
    private static final ThreadLocal<CudaContext> CURRENT = new ThreadLocal<>();

    private final CUdevice device = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final CUstream stream = new CUstream();
    private final DeviceInfo info;
    private final LaunchLog launches = new LaunchLog();
    private boolean closed;

    CudaContext(DeviceInfo info) {
        this.info = info;
        try {
            cuDeviceGet(device, 0);
            cuDevicePrimaryCtxRetain(context, device);
            cuCtxSetCurrent(context);
            CURRENT.set(this);
            // a blocking stream: it also orders against the legacy default stream, which costs
            // nothing here (nothing else is queued there) and keeps foreign synchronous calls safe
            cuStreamCreate(stream, CUstream_flags.CU_STREAM_DEFAULT);
        } catch (jcuda.CudaException e) {
            throw CudaException.wrap("creating the CUDA context on " + info.name(), e);
        }
    }

    DeviceInfo info() {
        return info;
    }

    CUstream stream() {
        return stream;
    }

    /** Makes the context current on the calling thread; cheap when it already is. */
    void makeCurrent() {
        if (closed) {
            throw new LaminaException("The CUDA backend was closed; create a new one to use the GPU again.");
        }
        if (CURRENT.get() != this) {
            try {
                cuCtxSetCurrent(context);
            } catch (jcuda.CudaException e) {
                throw CudaException.wrap("cuCtxSetCurrent", e);
            }
            CURRENT.set(this);
        }
    }

    /** The kernels queued since the stream was last idle, for errors that surface late. */
    LaunchLog launches() {
        return launches;
    }

    /** Waits for all work queued on the stream. */
    void synchronize(String what) {
        try {
            cuStreamSynchronize(stream);
        } catch (jcuda.CudaException e) {
            // an asynchronous fault (a kernel that read out of bounds) surfaces at the next sync
            throw CudaException.wrap(what + " (waiting for the queued GPU work" + launches.describe() + ")", e);
        }
        launches.clear();
    }

    /** {free, total} device memory in bytes, or {-1, -1} when the driver cannot say (a dead context). */
    long[] memoryInfo() {
        long[] free = new long[1];
        long[] total = new long[1];
        try {
            cuMemGetInfo(free, total);
            return new long[] {free[0], total[0]};
        } catch (jcuda.CudaException e) {
            return new long[] {-1, -1};
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** Destroys the stream and drops this backend's hold on the primary context. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        makeCurrent();
        closed = true;
        try {
            cuStreamSynchronize(stream);
            cuStreamDestroy(stream);
        } catch (jcuda.CudaException e) {
            throw CudaException.wrap("closing the CUDA stream", e);
        } finally {
            CURRENT.remove();
            cuDevicePrimaryCtxRelease(device);
        }
    }
}
