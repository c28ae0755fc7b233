package dev.lamina.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lamina.FitOptions;
import dev.lamina.Sequential;
import dev.lamina.backend.ActivationKind;
import dev.lamina.backend.BinaryOp;
import dev.lamina.backend.LossKind;
import dev.lamina.backend.Scratch;
import dev.lamina.backend.Storage;
import dev.lamina.backend.UnaryOp;
import dev.lamina.layers.BatchNormalization;
import dev.lamina.layers.Dense;
import dev.lamina.layers.Dropout;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Training allocates nothing once warm (buffers grown, kernels compiled), on one thread and on
 * two: the pool, the product's argument holder, the per-thread packing buffers and the parallel
 * tasks are all reused. Counted with HotSpot's per-thread allocation counters summed over the
 * calling thread and every worker of the backend's pools ({@link AllocationMeter}): a split product
 * or update runs part of its work on the workers, where the caller's own counter cannot see it.
 * Not timed. Runs in a JVM of its own (see the pom), on both code paths.
 */
class SteadyStateAllocationTest {
    /** The bound: bytes per training step, averaged over a window of steps. */
    static final double BYTES_PER_STEP = 64;
    /** Steps in one measured window. */
    static final int WINDOW_STEPS = 1000;
    /**
     * How long windows are tried before giving up: the Vector API allocates until C2 has compiled
     * the kernels, which takes seconds of compiler time on a busy machine (not a number of steps);
     * a step that allocates for ever never gets under the bound.
     */
    static final long WARM_UP_NANOS = 40_000_000_000L;

    /** Each op a training step uses, ten calls at a time, until ten calls of every op allocate nothing. */
    @ParameterizedTest(name = "vector={0}, threads={1}")
    @CsvSource({"true, 1", "true, 2", "false, 1", "false, 2"})
    void theBackendsOpsAllocateNothingOnceWarm(boolean vector, int threads) {
        assumeTrue(AllocationMeter.available(), "needs HotSpot's allocation counter");
        CpuBackend cpu = new CpuBackend(vector, threads);
        AllocationMeter meter = AllocationMeter.forCallerAndWorkers();
        int rows = 128;
        int in = 300;
        int out = 256; // in·out = 76,800: the product, the Adam update and the element-wise ops below are split
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
            String[] names = {"denseForward", "loss", "denseBackward", "adamUpdate", "activationForward",
                "activationBackward", "binary", "axpby"};
            Runnable[] ops = {
                () -> cpu.denseForward(x, w, b, ActivationKind.GELU, rows, in, out, z, y),
                () -> cpu.loss(LossKind.MEAN_SQUARED_ERROR, y, target, rows, out, 0f, grad, lossOut, 0, scratch),
                () -> cpu.denseBackward(x, w, ActivationKind.GELU, z, y, grad, rows, in, out, grad, dw, db, dx),
                () -> cpu.adamUpdate(w, dw, m, v, in * out, 0.001f, 0.001f, 0.9f, 0.999f, 1e-7f, 0f, scratch),
                () -> cpu.activationForward(ActivationKind.RELU, dw, m, in, out),
                () -> cpu.activationBackward(ActivationKind.RELU, dw, m, w, v, in, out),
                () -> cpu.binary(BinaryOp.MUL, dw, w, m, in * out),
                () -> cpu.axpby(0.5f, dw, 0.5f, v, in * out),
            };
            long[] caller = new long[ops.length];
            long[] workers = new long[ops.length];
            boolean clean = false;
            for (int batch = 0; batch < 100 && !clean; batch++) {
                clean = true;
                for (int o = 0; o < ops.length; o++) {
                    long callerBefore = meter.caller();
                    long workersBefore = meter.workers();
                    for (int i = 0; i < 10; i++) {
                        ops[o].run();
                    }
                    caller[o] = meter.caller() - callerBefore;
                    workers[o] = meter.workers() - workersBefore;
                    clean &= caller[o] == 0 && workers[o] == 0;
                }
            }
            StringBuilder report = new StringBuilder();
            for (int o = 0; o < ops.length; o++) {
                report.append(' ').append(names[o]).append(": caller ").append(caller[o])
                        .append(", workers ").append(workers[o]).append(';');
            }
            assertTrue(clean, "bytes allocated by 10 calls after warm-up (" + meter.workerCount() + " workers):" + report);
        }
    }

    /**
     * Whole training steps in {@code fit}: forward, loss, backward, Adam. The wide model's first
     * layer (64×256×256 products, a 65,536-element Adam update) is split across the threads; the
     * small model's work stays on the calling thread. fit's per-epoch work (shuffle, history) lies
     * outside the measured steps.
     */
    @ParameterizedTest(name = "{0} model, vector={1}, threads={2}")
    @CsvSource({
        "wide, true, 1", "wide, true, 2", "wide, false, 1", "wide, false, 2",
        "small, true, 1", "small, true, 2", "small, false, 1", "small, false, 2",
    })
    void aTrainingStepAllocatesUnder64BytesOnceWarm(String model, boolean vector, int threads) {
        assumeTrue(AllocationMeter.available(), "needs HotSpot's allocation counter");
        CpuBackend cpu = new CpuBackend(vector, threads);
        boolean wide = model.equals("wide");
        int inputs = wide ? 256 : 8;
        int batch = wide ? 64 : 32;
        int stepsPerEpoch = 20;
        Sequential net = wide
                ? new Sequential(new Dense(256, "relu"), new BatchNormalization(), new Dropout(0.2),
                        new Dense(10, "softmax"))
                : new Sequential(new Dense(16, "relu"), new BatchNormalization(), new Dropout(0.2), new Dense(1));
        float[][] x = TrainingRun.matrix(stepsPerEpoch * batch, inputs, 1);
        float[][] y = new float[x.length][1];
        for (int i = 0; i < x.length; i++) {
            y[i][0] = wide ? Math.floorMod((int) (x[i][0] * 4), 10) : x[i][0] * x[i][1] - x[i][2];
        }
        try (net) {
            net.setSeed(3);
            net.build(inputs, cpu);
            if (wide) {
                net.compile("adam", "sparse_categorical_crossentropy", "accuracy");
            } else {
                net.compile("adam", "mse", "mae");
            }
            AllocationMeter meter = AllocationMeter.forCallerAndWorkers();
            StepWindow window = new StepWindow(meter, stepsPerEpoch);
            FitOptions options = new FitOptions().epochs(WINDOW_STEPS / stepsPerEpoch).batchSize(batch).verbose(0)
                    .callbacks(window);
            long deadline = System.nanoTime() + WARM_UP_NANOS;
            int windows = 0;
            do {
                window.reset();
                net.fit(x, y, options);
                windows++;
            } while (!(window.perStep() < BYTES_PER_STEP) && System.nanoTime() < deadline);
            String figures = String.format(Locale.ROOT,
                    "%s model, vector=%s, %d thread(s): %.1f bytes per step over %d steps (caller %.1f, %d worker(s) %.1f), window %d",
                    model, vector, threads, window.perStep(), window.steps, window.callerPerStep(), meter.workerCount(),
                    window.workersPerStep(), windows);
            System.out.println(figures);
            assertTrue(window.perStep() < BYTES_PER_STEP, figures);
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
        assumeTrue(AllocationMeter.available(), "needs HotSpot's allocation counter");
        assumeTrue(VectorSupport.useVectorByDefault(), "the JVM has no Vector API");
        CpuBackend cpu = new CpuBackend(true, 1);
        AllocationMeter meter = AllocationMeter.forCallerAndWorkers();
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
        long[] allocated = new long[ops.length];
        boolean clean = false;
        long deadline = System.nanoTime() + 30_000_000_000L;
        for (int batch = 0; (batch < 200 || System.nanoTime() < deadline) && !clean; batch++) {
            clean = true;
            for (int o = 0; o < ops.length; o++) {
                long before = meter.caller();
                for (int i = 0; i < 10; i++) {
                    ops[o].run();
                }
                allocated[o] = meter.caller() - before;
                clean &= allocated[o] == 0;
            }
        }
        assertTrue(clean, kind + ": bytes allocated by 10 calls after warm-up: forward=" + allocated[0]
                + " backward=" + allocated[1] + " exp/log=" + allocated[2] + " logSumExp=" + allocated[3]);
        cpu.close();
    }
}
