package dev.lamina.spark;

import java.io.Serializable;

/**
 * The sum that {@code treeAggregate} builds over the shards of one round: the shards' states
 * weighted by the rows each trained on, and the loss and metric sums for the epoch's history.
 *
 * <p>A shard's own contribution stays the float array it produced, so what an executor sends is
 * 4 bytes a value; sums of two or more are kept in doubles. Each contribution is a float times a
 * row count, exact in a double, so the sum hardly depends on the order in which Spark merges the
 * shards' results (a retried task can change that order): the averaged floats come out the same.
 */
final class StateSum implements Serializable {
    private static final long serialVersionUID = 1L;

    /** One shard's state, not yet weighted (null once two are merged, or when nothing was added). */
    private float[] single;
    private double[] sum;
    private double weight;
    private long iterations;
    private boolean optimizerState = true;
    final MetricSums metrics;

    StateSum(int metricCount) {
        this.metrics = new MetricSums(metricCount);
    }

    /** Adds one shard's state after training on {@code rows} rows. */
    StateSum add(ModelState state, long rows) {
        if (single == null && sum == null) {
            single = state.values;
        } else {
            promote();
            for (int i = 0; i < sum.length; i++) {
                sum[i] += (double) state.values[i] * rows;
            }
        }
        weight += rows;
        iterations = Math.max(iterations, state.iterations);
        optimizerState &= state.hasOptimizerState;
        return this;
    }

    /** Merges another partial sum into this one (treeAggregate's combOp). */
    static StateSum merge(StateSum a, StateSum b) {
        if (b.weight == 0) {
            a.metrics.add(b.metrics);
            return a;
        }
        if (a.weight == 0) {
            b.metrics.add(a.metrics);
            return b;
        }
        a.promote();
        if (b.single != null) {
            for (int i = 0; i < a.sum.length; i++) {
                a.sum[i] += (double) b.single[i] * b.weight;
            }
        } else {
            for (int i = 0; i < a.sum.length; i++) {
                a.sum[i] += b.sum[i];
            }
        }
        a.weight += b.weight;
        a.iterations = Math.max(a.iterations, b.iterations);
        a.optimizerState &= b.optimizerState;
        a.metrics.add(b.metrics);
        return a;
    }

    private void promote() {
        if (sum == null) {
            sum = new double[single.length];
            for (int i = 0; i < sum.length; i++) {
                sum[i] = (double) single[i] * weight;
            }
            single = null;
        }
    }

    boolean isEmpty() {
        return weight == 0;
    }

    /** The row-weighted average of the shards' states. */
    ModelState average() {
        if (single != null) {
            return new ModelState(single, iterations, optimizerState);
        }
        float[] values = new float[sum.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (sum[i] / weight);
        }
        return new ModelState(values, iterations, optimizerState);
    }
}
