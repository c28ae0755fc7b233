package dev.lamina.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lamina.backend.ActivationKind;
import dev.lamina.backend.LossKind;
import dev.lamina.backend.Scratch;
import dev.lamina.backend.Storage;
import dev.lamina.backend.UnaryOp;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A training step's backend work (Dense forward and backward, a loss, an Adam update), repeated,
 * allocates nothing on the calling thread once warm (buffers grown, kernels compiled): the pool, the
 * product's argument holder and the parallel tasks are all reused. Counted with HotSpot's
 * per-thread allocation counter, not timed.
 */
class SteadyStateAllocationTest {

    @ParameterizedTest(name = "vector={0}")
    @ValueSource(booleans = {true, false})
    void aTrainingStepAllocatesNothingOnceWarm(boolean vector) {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs HotSpot's allocation counter");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        CpuBackend cpu = new CpuBackend(vector, 2);
        int rows = 128;
        int in = 300;
        int out = 200; // large enough for the product and the Adam update to be split across threads
        Storage x = cpu.allocate((long) rows * in);
        Storage w = cpu.allocate((long) in * out);
        Storage b = cpu.allocate(out);
        Storage z = cpu.allocate((long) rows * out);
        Storage y = cpu.allocate((long) rows * out);
        Storage target = cpu.allocate((long) rows * out);
        Storage grad = cpu.allocate((long) rows * out);
        Storage dw = cpu.allocate((long) in * out);
        Storage db = cpu.allocate(out);
        Storage dx = cpu.allocate((long) rows * in);
        Storage m = cpu.allocate((long) in * out);
        Storage v = cpu.allocate((long) in * out);
        Storage lossOut = cpu.allocate(1);
        cpu.fill(x, 0, (long) rows * in, 0.5f);
        cpu.fill(w, 0, (long) in * out, 0.01f);
        try (Scratch scratch = new Scratch(cpu)) {
            String[] names = {"denseForward", "loss", "denseBackward", "adamUpdate"};
            Runnable[] ops = {
                () -> cpu.denseForward(x, w, b, ActivationKind.GELU, rows, in, out, z, y),
                () -> cpu.loss(LossKind.MEAN_SQUARED_ERROR, y, target, rows, out, 0f, grad, lossOut, 0, scratch),
                () -> cpu.denseBackward(x, w, ActivationKind.GELU, z, y, grad, rows, in, out, grad, dw, db, dx),
                () -> cpu.adamUpdate(w, dw, m, v, in * out, 0.001f, 0.001f, 0.9f, 0.999f, 1e-7f, 0f, scratch),
            };
            // the Vector API allocates until C2 has compiled the kernels, so warm up until a batch of
            // steps allocates nothing; a step that allocates for ever never gets there
            long id = Thread.currentThread().getId();
            long[] allocated = new long[ops.length];
            boolean clean = false;
            for (int batch = 0; batch < 100 && !clean; batch++) {
                clean = true;
                for (int o = 0; o < ops.length; o++) {
                    long before = threads.getThreadAllocatedBytes(id);
                    for (int i = 0; i < 10; i++) {
                        ops[o].run();
                    }
                    allocated[o] = threads.getThreadAllocatedBytes(id) - before;
                    clean &= allocated[o] == 0;
                }
            }
            StringBuilder report = new StringBuilder();
            for (int o = 0; o < ops.length; o++) {
                report.append(' ').append(names[o]).append('=').append(allocated[o]);
            }
            assertTrue(clean, "bytes allocated by 10 calls after warm-up:" + report);
        }
    }

    /**
     * Every activation forward and backward, exp and log, on the vector path: their loops call
     * DeterministicMath's vector methods, and one that C2 did not inline would box a vector per
     * block. One thread, so that all the work is on the counted thread; 7 × 300 elements, so that
     * each call has vector blocks and a scalar tail.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(ActivationKind.class)
    void activationsAllocateNothingOnceWarm(ActivationKind kind) {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs HotSpot's allocation counter");
        assumeTrue(VectorSupport.useVectorByDefault(), "the JVM has no Vector API");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        CpuBackend cpu = new CpuBackend(true, 1);
        int rows = 7;
        int cols = 300;
        int n = rows * cols;
        Storage x = cpu.allocate(n);
        Storage y = cpu.allocate(n);
        Storage dy = cpu.allocate(n);
        Storage dx = cpu.allocate(n);
        Storage lse = cpu.allocate(rows);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (i % 97 - 48) / 8f;
        }
        cpu.upload(values, 0, x, 0, n);
        cpu.upload(values, 0, dy, 0, n);
        Runnable[] ops = {
            () -> cpu.activationForward(kind, x, y, rows, cols),
            () -> cpu.activationBackward(kind, x, y, dy, dx, rows, cols),
            () -> cpu.unary(kind == ActivationKind.SOFTMAX ? UnaryOp.LOG : UnaryOp.EXP, x, dx, n),
            () -> cpu.logSumExpRows(x, rows, cols, lse),
        };
        // until a batch allocates nothing, or for 30 s: C2 compiles on a busy machine can take a while
        long id = Thread.currentThread().getId();
        long[] allocated = new long[ops.length];
        boolean clean = false;
        long deadline = System.nanoTime() + 30_000_000_000L;
        for (int batch = 0; (batch < 200 || System.nanoTime() < deadline) && !clean; batch++) {
            clean = true;
            for (int o = 0; o < ops.length; o++) {
                long before = threads.getThreadAllocatedBytes(id);
                for (int i = 0; i < 10; i++) {
                    ops[o].run();
                }
                allocated[o] = threads.getThreadAllocatedBytes(id) - before;
                clean &= allocated[o] == 0;
            }
        }
        assertTrue(clean, kind + ": bytes allocated by 10 calls after warm-up: forward=" + allocated[0]
                + " backward=" + allocated[1] + " exp/log=" + allocated[2] + " logSumExp=" + allocated[3]);
        cpu.close();
    }
}
