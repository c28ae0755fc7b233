package dev.lamina.spark;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;

/**
 * For tests of Spark's task retries: makes the first attempt of one (epoch, round, shard) task fail,
 * as a lost executor would. Off unless a test sets {@link #failFirstAttemptOf}; package-private.
 */
final class FaultInjection {
    /** "epoch/round/shard" of the task to fail on its first attempt, or null. */
    static volatile String failFirstAttemptOf;
    static final AtomicInteger INJECTED = new AtomicInteger();

    private FaultInjection() {
    }

    static void maybeFail(int epoch, int round, int shard) {
        String target = failFirstAttemptOf;
        TaskContext task = TaskContext.get();
        if (target != null && task != null && task.attemptNumber() == 0 && target.equals(epoch + "/" + round + "/" + shard)) {
            INJECTED.incrementAndGet();
            throw new IllegalStateException("Injected failure of the first attempt of epoch " + epoch + ", round " + round
                    + ", shard " + shard + " (a test of task retries)");
        }
    }
}
