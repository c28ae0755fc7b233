package dev.lamina.cpu.gemm;

import java.util.Arrays;

/**
 * Packed B for the {@link ScalarMicroKernel}: micro-panels of {@code nr} columns, one array per k
 * step ({@code rows()[panel·KC + p]}), plus the kernel's tile rows. Separate arrays give the
 * auto-vectoriser the offset-0 loops it needs.
 */
final class RowPackedB implements PackedB {
    private final int nr;
    private final float[][] accumulators;
    private float[][] rows = new float[0][];

    RowPackedB(int nr, int mr) {
        this.nr = nr;
        this.accumulators = new float[mr][nr];
    }

    @Override
    public void pack(boolean transB, float[] b, int k, int n, int p0, int kc, int col0, int cols) {
        int panels = (cols + nr - 1) / nr;
        int needed = panels * Sgemm.KC;
        if (rows.length < needed) {
            float[][] grown = Arrays.copyOf(rows, needed);
            for (int r = rows.length; r < needed; r++) {
                grown[r] = new float[nr];
            }
            rows = grown;
        }
        for (int panel = 0; panel < panels; panel++) {
            int start = panel * nr;
            int width = Math.min(nr, cols - start);
            for (int p = 0; p < kc; p++) {
                float[] row = rows[panel * Sgemm.KC + p];
                if (!transB) {
                    System.arraycopy(b, (p0 + p) * n + col0 + start, row, 0, width);
                } else {
                    int src = (col0 + start) * k + p0 + p;
                    for (int j = 0; j < width; j++) {
                        row[j] = b[src + j * k];
                    }
                }
                if (width < nr) {
                    Arrays.fill(row, width, nr, 0f);
                }
            }
        }
    }

    float[][] rows() {
        return rows;
    }

    /** The first row of the micro-panel that starts at column {@code col} of the block. */
    int firstRow(int col) {
        return col / nr * Sgemm.KC;
    }

    float[] accumulator(int i) {
        return accumulators[i];
    }
}
