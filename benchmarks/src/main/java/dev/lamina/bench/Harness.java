package dev.lamina.bench;

import dev.lamina.backend.Backend;
import java.util.Arrays;

/**
 * {@link Compare}'s timing loop, a short stand-in for JMH that needs no forked JVM: warm up for a
 * while (the JIT compiles the hot paths, a GPU loads its kernels), then time several runs of
 * back-to-back calls, each run ending with {@link Backend#synchronize()} so that queued GPU work
 * is counted. Each run gives a rate (work per second); the median of the runs is reported, which
 * is robust against a run slowed down by another process on a shared machine.
 */
final class Harness {
    private static final double STEADY = 0.15;
    private static final int MAX_WARMUP_FACTOR = 5;
    final long warmupNanos;
    final long runNanos;
    final int runs;

    Harness(long warmupMillis, long runMillis, int runs) {
        this.warmupNanos = warmupMillis * 1_000_000L;
        this.runNanos = runMillis * 1_000_000L;
        this.runs = runs;
    }

    /** The rate of each run, in work units per second. */
    double[] rates(CompareTask.Prepared work, Backend backend) {
        // warm-up in rounds, each sized from the one before to last about one run, so that the
        // estimate of a call's time comes from the last round (compiled code), not from the first
        // calls in the interpreter or a GPU's module load. It goes on past the warm-up time (up to
        // MAX_WARMUP_FACTOR times it) until two rounds in a row agree within STEADY: on a busy
        // machine the JIT compiler itself waits for a core, and the code may still be interpreted.
        long start = System.nanoTime();
        long callsPerRun = 1;
        double previous = Double.NaN;
        boolean steady;
        long elapsed;
        do {
            long t0 = System.nanoTime();
            for (long i = 0; i < callsPerRun; i++) {
                work.call();
            }
            backend.synchronize();
            double nanosPerCall = (double) (System.nanoTime() - t0) / callsPerRun;
            steady = Math.abs(nanosPerCall - previous) <= STEADY * previous;
            previous = nanosPerCall;
            callsPerRun = Math.max(1, Math.round(runNanos / nanosPerCall));
            elapsed = System.nanoTime() - start;
        } while (elapsed < warmupNanos || !steady && elapsed < MAX_WARMUP_FACTOR * warmupNanos);

        double[] rates = new double[runs];
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            for (long i = 0; i < callsPerRun; i++) {
                work.call();
            }
            backend.synchronize();
            double seconds = (System.nanoTime() - t0) / 1e9;
            rates[r] = callsPerRun * work.work() / seconds;
        }
        return rates;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
