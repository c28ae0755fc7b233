package dev.lamina.spark;

import java.io.Serializable;

/**
 * One shard's rows as float blocks, row-major, in the DataFrame's order: what the executors cache
 * for a whole fit, so that across rounds the model travels and the data stays.
 */
final class ShardBlock implements Serializable {
    private static final long serialVersionUID = 1L;

    final int shard;
    final int rows;
    final int xCols;
    final int yCols;
    final float[] x;
    final float[] y;

    ShardBlock(int shard, int rows, int xCols, int yCols, float[] x, float[] y) {
        this.shard = shard;
        this.rows = rows;
        this.xCols = xCols;
        this.yCols = yCols;
        this.x = x;
        this.y = y;
    }

    /** Rows {@code order[from..to)} as arrays, for one call of fit. */
    float[][][] slice(int[] order, int from, int to) {
        float[][] xs = new float[to - from][];
        float[][] ys = new float[to - from][];
        for (int i = from; i < to; i++) {
            int r = order[i];
            xs[i - from] = java.util.Arrays.copyOfRange(x, r * xCols, (r + 1) * xCols);
            ys[i - from] = java.util.Arrays.copyOfRange(y, r * yCols, (r + 1) * yCols);
        }
        return new float[][][] {xs, ys};
    }

    /** Every row, in order. */
    float[][][] all() {
        int[] order = new int[rows];
        for (int i = 0; i < rows; i++) {
            order[i] = i;
        }
        return slice(order, 0, rows);
    }
}
