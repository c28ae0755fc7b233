package dev.lamina.cuda;

import static jcuda.driver.JCudaDriver.cuEventCreate;
import static jcuda.driver.JCudaDriver.cuEventDestroy;
import static jcuda.driver.JCudaDriver.cuEventRecord;
import static jcuda.driver.JCudaDriver.cuEventSynchronize;
import static jcuda.driver.JCudaDriver.cuMemAllocHost;
import static jcuda.driver.JCudaDriver.cuMemFreeHost;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoHAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoDAsync;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import jcuda.Pointer;
import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;
import jcuda.driver.CUstream;

/**
 * Transfers between Java arrays and device memory through page-locked ("pinned") host buffers.
 *
 * <p>Why: an asynchronous copy straight from a Java array is unsafe (JCuda lets go of the array as
 * soon as the copy is queued), and a synchronous one would stall the stream. So an upload copies
 * the array into a pinned buffer and queues the copy on the stream; it does not wait. There are two
 * buffers used in turn, each with an event that tells when its last copy is done, so an upload
 * waits only for the copy queued two uploads ago. A download queues the copy and waits for the
 * stream: downloads are the synchronisation points of the backend. Large transfers go through in
 * chunks of one buffer.
 */
final class HostStaging implements AutoCloseable {
    private static final int BUFFERS = 2;

    private final CudaContext context;
    private final int chunkBytes;
    private final Pointer[] host = new Pointer[BUFFERS];
    private final FloatBuffer[] floats = new FloatBuffer[BUFFERS];
    private final IntBuffer[] ints = new IntBuffer[BUFFERS];
    private final CUevent[] done = new CUevent[BUFFERS];
    private final boolean[] pending = new boolean[BUFFERS];
    private int next;

    /** @param chunkBytes the size of each pinned buffer, a multiple of 4 */
    HostStaging(CudaContext context, int chunkBytes) {
        this.context = context;
        this.chunkBytes = chunkBytes;
        try {
            for (int i = 0; i < BUFFERS; i++) {
                host[i] = new Pointer();
                cuMemAllocHost(host[i], chunkBytes);
                var bytes = host[i].getByteBuffer(0, chunkBytes).order(ByteOrder.nativeOrder());
                floats[i] = bytes.asFloatBuffer();
                ints[i] = bytes.asIntBuffer();
                done[i] = new CUevent();
                cuEventCreate(done[i], CUevent_flags.CU_EVENT_DISABLE_TIMING);
            }
        } catch (jcuda.CudaException e) {
            throw CudaException.wrap("cuMemAllocHost of " + chunkBytes + " bytes for the staging buffers", e);
        }
    }

    /** The floats one buffer holds. */
    int chunkElements() {
        return chunkBytes / Float.BYTES;
    }

    void upload(float[] src, int srcOffset, DeviceBlock dst, long dstByteOffset, int length) {
        int chunk = chunkElements();
        for (int sent = 0; sent < length; sent += chunk) {
            int n = Math.min(chunk, length - sent);
            int b = takeBuffer();
            floats[b].put(0, src, srcOffset + sent, n);
            queueUpload(b, dst, dstByteOffset + (long) sent * Float.BYTES, (long) n * Float.BYTES);
        }
    }

    void uploadInts(int[] src, int srcOffset, DeviceBlock dst, long dstByteOffset, int length) {
        int chunk = chunkBytes / Integer.BYTES;
        for (int sent = 0; sent < length; sent += chunk) {
            int n = Math.min(chunk, length - sent);
            int b = takeBuffer();
            ints[b].put(0, src, srcOffset + sent, n);
            queueUpload(b, dst, dstByteOffset + (long) sent * Integer.BYTES, (long) n * Integer.BYTES);
        }
    }

    void download(DeviceBlock src, long srcByteOffset, float[] dst, int dstOffset, int length) {
        int chunk = chunkElements();
        for (int sent = 0; sent < length; sent += chunk) {
            int n = Math.min(chunk, length - sent);
            int b = takeBuffer();
            long bytes = (long) n * Float.BYTES;
            try {
                cuMemcpyDtoHAsync(host[b], src.withByteOffset(srcByteOffset + (long) sent * Float.BYTES), bytes, context.stream());
            } catch (jcuda.CudaException e) {
                throw CudaException.wrap("cuMemcpyDtoHAsync of " + bytes + " bytes", e);
            }
            context.synchronize("download of " + length + " floats");
            java.util.Arrays.fill(pending, false); // the stream is idle, so every earlier copy is done
            floats[b].get(0, dst, dstOffset + sent, n);
        }
    }

    /** The next buffer, once the copy last queued from it has finished. */
    private int takeBuffer() {
        int b = next;
        next = (next + 1) % BUFFERS;
        if (pending[b]) {
            try {
                cuEventSynchronize(done[b]);
            } catch (jcuda.CudaException e) {
                throw CudaException.wrap("waiting for an earlier upload" + context.launches().describe(), e);
            }
            pending[b] = false;
        }
        return b;
    }

    private void queueUpload(int b, DeviceBlock dst, long dstByteOffset, long bytes) {
        try {
            cuMemcpyHtoDAsync(dst.withByteOffset(dstByteOffset), host[b], bytes, context.stream());
            cuEventRecord(done[b], context.stream());
        } catch (jcuda.CudaException e) {
            throw CudaException.wrap("cuMemcpyHtoDAsync of " + bytes + " bytes", e);
        }
        pending[b] = true;
    }

    @Override
    public void close() {
        for (int i = 0; i < BUFFERS; i++) {
            if (host[i] != null) {
                cuMemFreeHost(host[i]);
                host[i] = null;
            }
            if (done[i] != null) {
                cuEventDestroy(done[i]);
                done[i] = null;
            }
        }
    }
}
