package dev.lamina.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * With a seed, CPU training is bit-for-bit reproducible whatever the number of threads: the
 * backend splits products by whole tiles of the output and element-wise ops by ranges, so each
 * value is computed by one thread in the same order; reductions (sums, norms, bias gradients) run
 * on one thread. Histories, weights and predictions must be identical, not merely close.
 */
class DeterminismTest {
    @ParameterizedTest(name = "vector={0}")
    @ValueSource(booleans = {true, false})
    void seededRunsAreBitIdenticalWhateverTheThreadCount(boolean vector) {
        assumeTrue(!vector || VectorSupport.useVectorByDefault(), "the JVM has no Vector API");
        assertTrue(TrainingRun.WIDTH * TrainingRun.WIDTH >= ParallelOps.PARALLEL_THRESHOLD,
                "the model must be large enough for element-wise ops to be split");
        TrainingRun one = TrainingRun.train(new CpuBackend(vector, 1), 42, 2);
        TrainingRun two = TrainingRun.train(new CpuBackend(vector, 2), 42, 2);
        TrainingRun three = TrainingRun.train(new CpuBackend(vector, 3), 42, 2);
        TrainingRun twoAgain = TrainingRun.train(new CpuBackend(vector, 2), 42, 2);
        one.assertIdenticalTo(two, "1 thread vs 2");
        one.assertIdenticalTo(three, "1 thread vs 3");
        two.assertIdenticalTo(twoAgain, "2 threads, run twice");
    }
}
