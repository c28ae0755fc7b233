package dev.lamina.cuda;

/**
 * What the CUDA backend's memory pool has done so far.
 *
 * @param driverAllocations the number of {@code cuMemAlloc} calls (a steady training step adds none)
 * @param driverFrees       the number of {@code cuMemFree} calls
 * @param reservedBytes     device memory held from the driver, in use or cached for reuse
 * @param inUseBytes        device memory held by live storages (whole size classes)
 * @param liveBlocks        the number of live storages
 */
public record MemoryStats(long driverAllocations, long driverFrees, long reservedBytes, long inUseBytes, int liveBlocks) {
}
