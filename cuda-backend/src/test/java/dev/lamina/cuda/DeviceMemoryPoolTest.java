package dev.lamina.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.LaminaException;
import dev.lamina.backend.ActivationKind;
import dev.lamina.backend.LossKind;
import dev.lamina.backend.Scratch;
import dev.lamina.backend.Storage;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.Test;

/** The caching allocator: its size classes, no {@code cuMemAlloc} (nor Java garbage) in a steady step, everything back on close. */
@DisplayNameGeneration(CudaModeDisplayNames.class)
class DeviceMemoryPoolTest {

    @Test
    void sizeClassesArePowersOfTwoThenQuarterSteps() {
        assertEquals(256, DeviceMemoryPool.sizeClass(0));
        assertEquals(256, DeviceMemoryPool.sizeClass(1));
        assertEquals(256, DeviceMemoryPool.sizeClass(256));
        assertEquals(512, DeviceMemoryPool.sizeClass(257));
        assertEquals(1 << 20, DeviceMemoryPool.sizeClass((1 << 19) + 1));
        assertEquals(1 << 20, DeviceMemoryPool.sizeClass(1 << 20));
        // above 1 MiB: steps of an eighth of the next power of two, between its half and itself
        assertEquals((5L << 20) / 4, DeviceMemoryPool.sizeClass((1 << 20) + 1));
        assertEquals(3L << 20, DeviceMemoryPool.sizeClass((5L << 19) + 1));
        assertEquals(4L << 20, DeviceMemoryPool.sizeClass((7L << 19) + 1));
        // above 64 MiB: multiples of 2 MiB
        assertEquals(66L << 20, DeviceMemoryPool.sizeClass((64L << 20) + 1));
        assertEquals(4098L << 20, DeviceMemoryPool.sizeClass((4L << 30) + 5));
        for (long bytes = 1; bytes < (1L << 34); bytes = bytes * 3 + 1) {
            long size = DeviceMemoryPool.sizeClass(bytes);
            assertTrue(size >= bytes, "class holds the request");
            double waste = bytes <= (1 << 20) ? 2 : bytes <= (64 << 20) ? 1.25 : 1.04;
            assertTrue(size < waste * Math.max(bytes, 256) + 1, "little waste for " + bytes + ": " + size);
            assertEquals(size, DeviceMemoryPool.sizeClass(size), "a class is its own class");
        }
    }

    @Test
    void aSteadyTrainingStepMakesNoDriverAllocation() {
        CudaBackend cuda = CudaTestSupport.backend();
        int rows = 32;
        int in = 20;
        int out = 10;
        try (Scratch scratch = new Scratch(cuda)) {
            Storage[] buffers = {
                cuda.allocate(rows * in), cuda.allocate(in * out), cuda.allocate(out), cuda.allocate(rows * out),
                cuda.allocate(rows * out), cuda.allocate(rows * out), cuda.allocate(rows * out), cuda.allocate(in * out),
                cuda.allocate(out), cuda.allocate(in * out), cuda.allocate(in * out), cuda.allocate(4),
            };
            Storage x = buffers[0], w = buffers[1], b = buffers[2], z = buffers[3], y = buffers[4], target = buffers[5],
                    grad = buffers[6], dw = buffers[7], db = buffers[8], m = buffers[9], v = buffers[10], loss = buffers[11];
            Runnable step = () -> {
                cuda.denseForward(x, w, b, ActivationKind.SOFTMAX, rows, in, out, z, y);
                cuda.loss(LossKind.CATEGORICAL_CROSSENTROPY, y, target, rows, out, 0f, grad, loss, 0, scratch);
                cuda.denseBackward(x, w, ActivationKind.SOFTMAX, z, y, grad, rows, in, out, grad, dw, db, null);
                cuda.adamUpdate(w, dw, m, v, in * out, 0.001f, 0.001f, 0.9f, 0.999f, 1e-7f, 0f, scratch);
                cuda.clipByNorm(w, in * out, 10f);
                cuda.sum(loss, 1, 1f, loss, 1, true);
            };
            step.run(); // the first step fills the scratch slots
            cuda.synchronize();
            long before = cuda.memoryStats().driverAllocations();
            for (int i = 0; i < 5; i++) {
                step.run();
            }
            // nor Java garbage: argument blocks are prebuilt, pointers are plain addresses; retried a
            // few times for what the JIT may allocate while it compiles
            long javaBytes = -1;
            for (int tries = 0; tries < 20 && javaBytes != 0; tries++) {
                javaBytes = javaBytesAllocatedBy(step, 20);
            }
            System.out.println("[" + CudaTestSupport.mode() + "] Java heap bytes allocated by 20 steady CUDA steps: " + javaBytes);
            assertTrue(javaBytes <= 0, "Java heap bytes allocated by 20 steady CUDA steps: " + javaBytes);
            float[] l = new float[2];
            cuda.download(loss, 0, l, 0, 2);
            assertEquals(before, cuda.memoryStats().driverAllocations(), "cuMemAlloc calls during steady steps");
            for (Storage s : buffers) {
                cuda.release(s);
            }
        }
    }

    /** Bytes the calling thread allocated on the Java heap while running {@code step} {@code times} times, or -1. */
    private static long javaBytesAllocatedBy(Runnable step, int times) {
        java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
        if (!(bean instanceof com.sun.management.ThreadMXBean)) {
            return -1;
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < times; i++) {
            step.run();
        }
        return threads.getThreadAllocatedBytes(id) - before;
    }

    @Test
    void releasedBlocksAreReusedAndCloseGivesEverythingBack() {
        CudaBackend cuda = CudaTestSupport.freshBackend();
        try {
            MemoryStats start = cuda.memoryStats();
            Storage a = cuda.allocate(1000);
            Storage b = cuda.allocate(300_000);
            MemoryStats afterFirst = cuda.memoryStats();
            assertEquals(start.driverAllocations() + 2, afterFirst.driverAllocations());
            cuda.release(a);
            cuda.release(b);
            Storage c = cuda.allocate(900); // same class as a: reused
            Storage d = cuda.allocate(290_000); // same class as b: reused
            assertEquals(afterFirst.driverAllocations(), cuda.memoryStats().driverAllocations());
            float[] zeros = new float[900];
            cuda.download(c, 0, zeros, 0, 900);
            for (float f : zeros) {
                assertEquals(0f, f, "a reused block is zeroed again");
            }
            assertThrows(LaminaException.class, () -> cuda.release(a), "releasing twice");
            cuda.trimMemory();
            assertEquals(afterFirst.driverAllocations(), cuda.memoryStats().driverAllocations());
            cuda.release(c);
            Storage live = cuda.allocate(5000); // still held when the backend closes
            assertTrue(cuda.memoryStats().liveBlocks() >= 2);
            assertTrue(live.size() == 5000 && d.size() == 290_000);
        } finally {
            cuda.close();
        }
        MemoryStats end = cuda.memoryStats();
        assertEquals(0, end.reservedBytes(), "close gives all device memory back");
        assertEquals(0, end.liveBlocks());
        assertEquals(end.driverAllocations(), end.driverFrees());
        cuda.close(); // twice is harmless
        assertThrows(LaminaException.class, () -> cuda.allocate(1), "a closed backend says so");
    }
}
