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
        // warm-up: at least one call, and an estimate of one call's time
        long start = System.nanoTime();
        long calls = 0;
        do {
            work.call();
            backend.synchronize();
            calls++;
        } while (System.nanoTime() - start < warmupNanos);
        double nanosPerCall = (double) (System.nanoTime() - start) / calls;
        long callsPerRun = Math.max(1, Math.round(runNanos / nanosPerCall));

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
