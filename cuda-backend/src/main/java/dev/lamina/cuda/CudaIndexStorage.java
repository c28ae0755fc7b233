package dev.lamina.cuda;

import dev.lamina.LaminaException;
import dev.lamina.backend.IndexStorage;

/**
 * Int32 indices in device memory (a shuffled order of rows, gathered from on the device), with a
 * host copy of what was uploaded: indices come from callers, and {@code gatherRows} checks them on
 * the host before a kernel could read outside its source (only uploads write index storages).
 */
final class CudaIndexStorage implements IndexStorage {
    final DeviceMemoryPool pool;
    private final int size;
    private final int[] host;
    private DeviceBlock block;

    CudaIndexStorage(DeviceMemoryPool pool, DeviceBlock block, int size) {
        this.pool = pool;
        this.block = block;
        this.size = size;
        this.host = new int[size]; // the device copy starts zeroed too
    }

    /** Records what an upload wrote at {@code dstOffset}. */
    void mirror(int[] src, int srcOffset, int dstOffset, int length) {
        System.arraycopy(src, srcOffset, host, dstOffset, length);
    }

    /** The first position in {@code [offset, offset + count)} whose index is not in {@code [0, rows)}, or -1. */
    int firstIndexOutside(int offset, int count, long rows) {
        for (int i = offset; i < offset + count; i++) {
            if (host[i] < 0 || host[i] >= rows) {
                return i;
            }
        }
        return -1;
    }

    int hostValue(int position) {
        return host[position];
    }

    @Override
    public int size() {
        return size;
    }

    DeviceBlock block() {
        DeviceBlock b = block;
        if (b == null) {
            throw new LaminaException("This CUDA index storage was released and cannot be used again.");
        }
        return b;
    }

    /** The device address of index {@code offset}. */
    long address(long offset) {
        return block().address() + offset * Integer.BYTES;
    }

    DeviceBlock detach() {
        if (block == null) {
            throw new LaminaException("This CUDA index storage was already released.");
        }
        DeviceBlock b = block;
        block = null;
        return b;
    }

    @Override
    public String toString() {
        return "CudaIndexStorage[" + size + " ints" + (block == null ? ", released" : "") + "]";
    }
}
