package dev.lamina.spark;

import java.io.Serializable;
import java.util.Random;

/**
 * How the rows and each global batch are shared among the workers, and the seeds that make every
 * (epoch, round, shard) reproducible.
 *
 * <p>The global batch of {@code batchSize} rows is cut into one part per shard: shard {@code i}
 * owns positions {@code [offset(i), offset(i) + localBatch(i))} of every global batch, so row
 * {@code g} (in the DataFrame's order) goes to the shard that owns position {@code g % batchSize}.
 * With the rows in their own order, local step {@code s} of every shard together is exactly global
 * batch {@code s}: the distributed run sees the batches a single machine would.
 */
final class ShardPlan implements Serializable {
    private static final long serialVersionUID = 1L;

    final int workers;
    final int batchSize;
    final long seed;

    ShardPlan(int workers, int batchSize, long seed) {
        this.workers = workers;
        this.batchSize = batchSize;
        this.seed = seed;
    }

    /** Rows of each global batch that shard {@code shard} trains on. */
    int localBatch(int shard) {
        return batchSize / workers + (shard < batchSize % workers ? 1 : 0);
    }

    /** The first position of the global batch that the shard owns. */
    int offset(int shard) {
        return shard * (batchSize / workers) + Math.min(shard, batchSize % workers);
    }

    /** The shard that trains on row {@code row} of the DataFrame. */
    int shardOf(long row) {
        int position = (int) (row % batchSize);
        int base = batchSize / workers;
        int extra = batchSize % workers;
        int wide = extra * (base + 1);        // the first `extra` shards take one row more
        return position < wide ? position / (base + 1) : extra + (position - wide) / base;
    }

    /** The order of a shard's rows in an epoch: its own order, or a permutation drawn from (seed, epoch, shard). */
    int[] epochOrder(int rows, int epoch, int shard, boolean shuffle) {
        int[] order = new int[rows];
        for (int i = 0; i < rows; i++) {
            order[i] = i;
        }
        if (shuffle) {
            Random random = new Random(mix(seed, 0x5EED, epoch, shard));
            for (int i = rows - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order;
    }

    /** The seed of one shard's steps in one round (its dropout masks): the same on every attempt of the task. */
    long roundSeed(int epoch, int round, int shard) {
        return mix(seed, epoch, round, shard);
    }

    /** True when validation holds row {@code row}: a draw from (seed, row), so it needs no count of the rows. */
    boolean isValidation(long row, double fraction) {
        if (fraction <= 0) {
            return false;
        }
        long h = splitMix(seed ^ splitMix(row + 0x9E3779B97F4A7C15L));
        return (h >>> 11) * 0x1.0p-53 < fraction;
    }

    static long mix(long seed, long a, long b, long c) {
        long h = splitMix(seed);
        h = splitMix(h ^ a);
        h = splitMix(h ^ b);
        return splitMix(h ^ c);
    }

    private static long splitMix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
