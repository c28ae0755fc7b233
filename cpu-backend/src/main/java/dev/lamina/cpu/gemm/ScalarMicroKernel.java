package dev.lamina.cpu.gemm;

import java.util.Arrays;

/**
 * The micro-kernel for JVMs without the Vector API: plain Java shaped so that HotSpot's
 * auto-vectoriser turns it into SIMD code by itself. That vectoriser (in JDK 17) gives up on a loop
 * that reads and writes two arrays at different variable offsets, so each k step of a B panel is an
 * array of its own ({@link RowPackedB}) and so is each row of the tile: the inner loop is then
 * {@code acc[j] += a·row[j]} from index 0. Two tile rows share each load of B.
 */
public final class ScalarMicroKernel implements MicroKernel {
    private static final int MR = 4;
    private static final int NR = 256;

    @Override
    public int mr() {
        return MR;
    }

    @Override
    public int nr() {
        return NR;
    }

    @Override
    public PackedB newPackedB() {
        return new RowPackedB(NR, MR);
    }

    @Override
    public void multiply(int kc, float[] a, int aOff, PackedB packed, int col, int width, float[] tile) {
        RowPackedB b = (RowPackedB) packed;
        accumulateTile(kc, a, aOff, b, col);
        for (int i = 0; i < MR; i++) {
            System.arraycopy(b.accumulator(i), 0, tile, i * NR, width);
        }
    }

    @Override
    public void multiplyInto(int kc, float[] a, int aOff, PackedB packed, int col, float[] c, int cOff, int ldc,
                             boolean accumulate) {
        RowPackedB b = (RowPackedB) packed;
        accumulateTile(kc, a, aOff, b, col);
        for (int i = 0; i < MR; i++) {
            float[] acc = b.accumulator(i);
            int row = cOff + i * ldc;
            if (accumulate) {
                for (int j = 0; j < NR; j++) {
                    c[row + j] += acc[j];
                }
            } else {
                System.arraycopy(acc, 0, c, row, NR);
            }
        }
    }

    /** Leaves the tile in the accumulator rows of {@code b}. */
    private static void accumulateTile(int kc, float[] a, int aOff, RowPackedB b, int col) {
        float[][] rows = b.rows();
        int first = b.firstRow(col);
        float[] acc0 = b.accumulator(0);
        float[] acc1 = b.accumulator(1);
        float[] acc2 = b.accumulator(2);
        float[] acc3 = b.accumulator(3);
        Arrays.fill(acc0, 0f);
        Arrays.fill(acc1, 0f);
        Arrays.fill(acc2, 0f);
        Arrays.fill(acc3, 0f);
        for (int p = 0; p < kc; p++) {
            float[] row = rows[first + p];
            int ap = aOff + p * MR;
            float a0 = a[ap];
            float a1 = a[ap + 1];
            for (int j = 0; j < NR; j++) {
                float bj = row[j];
                acc0[j] += a0 * bj;
                acc1[j] += a1 * bj;
            }
            float a2 = a[ap + 2];
            float a3 = a[ap + 3];
            for (int j = 0; j < NR; j++) {
                float bj = row[j];
                acc2[j] += a2 * bj;
                acc3[j] += a3 * bj;
            }
        }
    }

    @Override
    public String describe() {
        return "scalar " + MR + "x" + NR + " (auto-vectorised Java)";
    }
}
