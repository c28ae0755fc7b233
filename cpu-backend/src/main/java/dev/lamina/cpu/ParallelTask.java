package dev.lamina.cpu;

/** Work split into parts that run at the same time, each on its own thread. */
@FunctionalInterface
public interface ParallelTask {
    /** Runs part {@code part} of {@code parts} (0 ≤ part &lt; parts). */
    void run(int part, int parts);
}
