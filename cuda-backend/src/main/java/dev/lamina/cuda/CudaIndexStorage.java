package dev.lamina.cuda;

import dev.lamina.LaminaException;
import dev.lamina.backend.IndexStorage;

/** Int32 indices in device memory (a shuffled order of rows, gathered from on the device). */
final class CudaIndexStorage implements IndexStorage {
    final DeviceMemoryPool pool;
    private final int size;
    private DeviceBlock block;

    CudaIndexStorage(DeviceMemoryPool pool, DeviceBlock block, int size) {
        this.pool = pool;
        this.block = block;
        this.size = size;
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
