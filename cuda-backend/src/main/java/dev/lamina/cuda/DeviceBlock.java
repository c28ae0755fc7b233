package dev.lamina.cuda;

import jcuda.driver.CUdeviceptr;

/**
 * One block of device memory from {@code cuMemAlloc}, of a whole size class. It is a
 * {@link CUdeviceptr} so it can be passed to the driver as it is, and it exposes its raw address,
 * which kernel arguments and offsets are computed from without allocating a new pointer object.
 */
final class DeviceBlock extends CUdeviceptr {
    private final long bytes;

    DeviceBlock(long bytes) {
        this.bytes = bytes;
    }

    /** The capacity of the block: its size class, at least what was asked for. */
    long bytes() {
        return bytes;
    }

    /** The device address, valid once {@code cuMemAlloc} has filled it in. */
    long address() {
        return getNativePointer() + getByteOffset();
    }
}
