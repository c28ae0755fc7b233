package dev.lamina.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lamina.FitOptions;
import dev.lamina.History;
import dev.lamina.Sequential;
import dev.lamina.callbacks.BatchLogs;
import dev.lamina.callbacks.Callback;
import dev.lamina.layers.Dense;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A long run keeps the heap flat: training a small model for {@value #DEFAULT_STEPS} steps on the
 * CPU backend, the heap in use after a full GC at step 100 and at the last step differ by less
 * than {@value #MAX_GROWTH_BYTES} bytes, and on the portable path the training thread allocates
 * (nearly) nothing per step in between. Prints the figures for docs/RELIABILITY.md. Longer soak:
 * {@code -Dlamina.soak.steps=1000000}.
 */
class LongRunTest {
    static final int DEFAULT_STEPS = 10_000;
    static final long MAX_GROWTH_BYTES = 1 << 20;
    /** Average bytes a step may allocate on the training thread (a leak of even one object per step exceeds it). */
    static final double MAX_BYTES_PER_STEP = 8;
    private static final int WARM_STEP = 100;
    private static final int BATCH = 8;

    /** Measures at the end of the warm-up step and of the last step. */
    private static final class Probe extends Callback {
        private final int lastStep;
        private final com.sun.management.ThreadMXBean threads;
        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long allocatedAtWarm;
        long allocatedAtEnd;
        long heapAtWarm;
        long heapAtEnd;

        Probe(int lastStep, com.sun.management.ThreadMXBean threads) {
            this.lastStep = lastStep;
            this.threads = threads;
        }

        @Override
        public void onBatchEnd(int batch, BatchLogs logs) {
            if (batch + 1 == WARM_STEP) {
                allocatedAtWarm = threads.getCurrentThreadAllocatedBytes();
                heapAtWarm = heapAfterGc();
            } else if (batch + 1 == lastStep) {
                allocatedAtEnd = threads.getCurrentThreadAllocatedBytes();
                heapAtEnd = heapAfterGc();
            }
        }

        private long heapAfterGc() {
            for (int i = 0; i < 3; i++) {
                System.gc();
            }
            return memory.getHeapMemoryUsage().getUsed();
        }
    }

    @ParameterizedTest(name = "vector={0}")
    @ValueSource(booleans = {true, false})
    void tenThousandStepsKeepTheHeapFlat(boolean vector) {
        assumeTrue(!vector || VectorSupport.useVectorByDefault(), "the JVM has no Vector API");
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs HotSpot's allocation counter");
        int steps = Integer.getInteger("lamina.soak.steps", DEFAULT_STEPS);
        assumeTrue(steps > WARM_STEP);
        // one epoch of `steps` batches, so that per-epoch work (history, logs) does not blur the per-step figure
        float[][] x = TrainingRun.matrix(steps * BATCH, 8, 3);
        float[][] y = new float[x.length][1];
        for (int i = 0; i < x.length; i++) {
            y[i][0] = 0.5f * x[i][0] - x[i][1] + 0.25f;
        }
        Probe probe = new Probe(steps, (com.sun.management.ThreadMXBean) bean);
        try (Sequential model = new Sequential(new Dense(16, "relu"), new Dense(16, "relu"), new Dense(1))) {
            model.setSeed(1);
            model.build(8, new CpuBackend(vector, 2));
            model.compile("adam", "mse", "mae");
            History h = model.fit(x, y, new FitOptions().epochs(1).batchSize(BATCH).verbose(0).seed(2).callbacks(probe));
            assertTrue(Double.isFinite(h.last("loss")));
        }
        long growth = probe.heapAtEnd - probe.heapAtWarm;
        double perStep = (double) (probe.allocatedAtEnd - probe.allocatedAtWarm) / (steps - WARM_STEP);
        System.out.printf(Locale.ROOT, "LongRunTest (vector=%s): %d steps; heap after GC at step %d: %d bytes, at step %d: %d bytes "
                        + "(growth %d bytes); allocated on the training thread per step after warm-up: %.3f bytes%n",
                vector, steps, WARM_STEP, probe.heapAtWarm, steps, probe.heapAtEnd, growth, perStep);
        assertTrue(growth < MAX_GROWTH_BYTES, "the heap grew by " + growth + " bytes between step " + WARM_STEP + " and " + steps);
        // The Vector API path still allocates on small shapes (boxed vectors where C2 does not
        // intrinsify; see docs/RELIABILITY.md); the heap stays flat all the same. The portable path,
        // and with it the whole front end (fit's loop, callbacks, optimizer), allocates nothing.
        if (!vector) {
            assertTrue(perStep <= MAX_BYTES_PER_STEP, "a training step allocates " + perStep + " bytes on average");
        }
    }
}
