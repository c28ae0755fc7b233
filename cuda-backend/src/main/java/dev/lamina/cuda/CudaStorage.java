package dev.lamina.cuda;

import dev.lamina.LaminaException;
import dev.lamina.backend.Storage;

/** Float storage in device memory: a block from the {@link DeviceMemoryPool} and the number of floats asked for. */
final class CudaStorage implements Storage {
    final DeviceMemoryPool pool;
    private final long size;
    private DeviceBlock block;

    CudaStorage(DeviceMemoryPool pool, DeviceBlock block, long size) {
        this.pool = pool;
        this.block = block;
        this.size = size;
    }

    @Override
    public long size() {
        return size;
    }

    /** The block; fails once released. */
    DeviceBlock block() {
        DeviceBlock b = block;
        if (b == null) {
            throw new LaminaException("This CUDA storage was released; a closed tensor or model cannot be used again.");
        }
        return b;
    }

    /** The device address of float {@code offset}. */
    long address(long offset) {
        return block().address() + offset * Float.BYTES;
    }

    /** Hands the block over for release, leaving the storage unusable. */
    DeviceBlock detach() {
        if (block == null) {
            throw new LaminaException("This CUDA storage was already released.");
        }
        DeviceBlock b = block;
        block = null;
        return b;
    }

    @Override
    public String toString() {
        return "CudaStorage[" + size + " floats" + (block == null ? ", released" : "") + "]";
    }
}
