package dev.lamina.cuda;

import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A caching allocator over {@code cuMemAlloc}: a released block goes onto a free list of its size
 * class and is handed out again, so a training step that allocates the same buffers each time makes
 * no driver call after the first. {@code cuMemAlloc} and {@code cuMemFree} are slow and
 * {@code cuMemFree} synchronises the device, so avoiding them in steady state matters.
 *
 * <p>Reusing a block at once is safe because all work runs on one stream: whatever the next owner
 * queues runs after everything the last owner queued.
 *
 * <p>Size classes: powers of two from 256 bytes up to 1 MiB; up to 64 MiB, quarter steps between
 * powers of two (5/8, 6/8, 7/8, 8/8 of the next power), so at most a quarter is wasted; above
 * 64 MiB (data sets, big layers: allocated once, rarely recycled) multiples of 2 MiB, so a few
 * percent at most. When the GPU is full, the cached blocks are given back to the driver and the
 * allocation is tried once more.
 *
 * <p>Not thread-safe: the backend serialises calls. The context must be current.
 */
final class DeviceMemoryPool implements AutoCloseable {
    static final long MIN_BLOCK = 256;
    private static final long QUARTER_STEPS_ABOVE = 1L << 20;
    private static final long LARGE_ABOVE = 64L << 20;
    private static final long LARGE_GRANULE = 2L << 20;

    private final CudaContext context;
    private final Map<Long, ArrayDeque<DeviceBlock>> free = new HashMap<>();
    private final Set<DeviceBlock> live = Collections.newSetFromMap(new IdentityHashMap<>());
    private long driverAllocations;
    private long driverFrees;
    private long reservedBytes;
    private long inUseBytes;

    DeviceMemoryPool(CudaContext context) {
        this.context = context;
    }

    /** The size class a request of {@code bytes} is served from. */
    static long sizeClass(long bytes) {
        if (bytes <= MIN_BLOCK) {
            return MIN_BLOCK;
        }
        if (bytes > LARGE_ABOVE) {
            return (bytes + LARGE_GRANULE - 1) / LARGE_GRANULE * LARGE_GRANULE;
        }
        long power = Long.highestOneBit(bytes - 1) << 1; // the smallest power of two >= bytes
        if (power <= QUARTER_STEPS_ABOVE) {
            return power;
        }
        long step = power / 8;
        return (bytes + step - 1) / step * step;
    }

    /** A block of at least {@code bytes}; its contents are undefined. */
    DeviceBlock acquire(long bytes) {
        long size = sizeClass(bytes);
        ArrayDeque<DeviceBlock> list = free.get(size);
        DeviceBlock block = list == null ? null : list.poll();
        if (block == null) {
            block = allocateFromDriver(size, bytes);
        }
        live.add(block);
        inUseBytes += block.bytes();
        return block;
    }

    /** Puts a block back on its free list for reuse. */
    void release(DeviceBlock block) {
        if (!live.remove(block)) {
            throw new IllegalStateException("Block " + block + " is not in use in this pool");
        }
        inUseBytes -= block.bytes();
        free.computeIfAbsent(block.bytes(), k -> new ArrayDeque<>()).push(block);
    }

    private DeviceBlock allocateFromDriver(long size, long asked) {
        DeviceBlock block = new DeviceBlock(size);
        try {
            cuMemAlloc(block, size);
        } catch (jcuda.CudaException e) {
            if (!"CUDA_ERROR_OUT_OF_MEMORY".equals(e.getMessage())) {
                throw CudaException.wrap("cuMemAlloc of " + size + " bytes", e);
            }
            trim();
            try {
                cuMemAlloc(block, size);
            } catch (jcuda.CudaException again) {
                throw outOfMemory(size, asked, again);
            }
        }
        driverAllocations++;
        reservedBytes += size;
        return block;
    }

    private CudaOutOfMemoryException outOfMemory(long size, long asked, jcuda.CudaException cause) {
        long[] info = context.memoryInfo();
        String free = info[0] < 0 ? "an unknown amount" : mib(info[0]) + " (" + info[0] + " bytes)";
        String total = info[1] < 0 ? "" : " of " + mib(info[1]);
        return new CudaOutOfMemoryException(String.format(Locale.ROOT,
                "Out of GPU memory: cuMemAlloc of %s (%d bytes, for a request of %d bytes) failed with %s;"
                        + " the GPU has %s free%s, and Lamina holds %s in use."
                        + " Use a smaller batch size or model, or stop other programs using the GPU.",
                mib(size), size, asked, cause.getMessage(), free, total, mib(inUseBytes)),
                size, info[0], cause);
    }

    /** Gives every cached (free) block back to the driver. */
    void trim() {
        for (ArrayDeque<DeviceBlock> list : free.values()) {
            for (DeviceBlock block : list) {
                freeToDriver(block);
            }
        }
        free.clear();
    }

    private void freeToDriver(DeviceBlock block) {
        try {
            cuMemFree(block);
        } catch (jcuda.CudaException e) {
            throw CudaException.wrap("cuMemFree of " + block.bytes() + " bytes", e);
        }
        driverFrees++;
        reservedBytes -= block.bytes();
    }

    /**
     * Gives everything back to the driver, blocks still in use included. Goes on past a failing
     * {@code cuMemFree} (a dead context fails them all) and throws the first failure at the end.
     */
    @Override
    public void close() {
        CudaException failure = null;
        for (ArrayDeque<DeviceBlock> list : free.values()) {
            for (DeviceBlock block : list) {
                failure = freeQuietly(block, failure);
            }
        }
        free.clear();
        for (DeviceBlock block : live) {
            failure = freeQuietly(block, failure);
        }
        live.clear();
        inUseBytes = 0;
        if (failure != null) {
            throw failure;
        }
    }

    private CudaException freeQuietly(DeviceBlock block, CudaException failure) {
        try {
            freeToDriver(block);
        } catch (CudaException e) {
            reservedBytes -= block.bytes(); // gone with the context either way
            if (failure == null) {
                return e;
            }
            failure.addSuppressed(e);
        }
        return failure;
    }

    MemoryStats stats() {
        return new MemoryStats(driverAllocations, driverFrees, reservedBytes, inUseBytes, live.size());
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }
}
