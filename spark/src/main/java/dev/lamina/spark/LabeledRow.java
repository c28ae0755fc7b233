package dev.lamina.spark;

import java.io.Serializable;

/** One row on its way to a shard: its position in the DataFrame, its features and its targets. */
final class LabeledRow implements Serializable {
    private static final long serialVersionUID = 1L;

    final long number;
    final float[] x;
    final float[] y;

    LabeledRow(long number, float[] x, float[] y) {
        this.number = number;
        this.x = x;
        this.y = y;
    }
}
