package dev.lamina.cpu.gemm;

import java.util.Arrays;

/**
 * Copies blocks of A and B into the micro-panel layout the {@link MicroKernel} reads with unit
 * stride. Reading the source in its stored order here is what absorbs the transposes: the kernel
 * never sees one. Panels that run past the matrix edge are padded with zeros, so the kernel always
 * computes whole tiles.
 */
final class Packing {
    private Packing() {
    }

    /**
     * Packs rows {@code [row0, row0+rows)} and steps {@code [p0, p0+kc)} of op(A) (m×k) into panels of
     * {@code mr} rows: {@code dst[panel·kc·mr + p·mr + i]}.
     */
    static void packA(boolean transA, float[] a, int m, int k, int row0, int rows, int p0, int kc, int mr, float[] dst) {
        if (transA) {
            // op(A) row i is column i of A: sweep A's rows (k steps), each read once and in order,
            // dealing its values out to the panels
            for (int p = 0; p < kc; p++) {
                int src = (p0 + p) * m + row0;
                for (int start = 0; start < rows; start += mr) {
                    int height = Math.min(mr, rows - start);
                    int to = start * kc + p * mr;
                    for (int i = 0; i < height; i++) {
                        dst[to + i] = a[src + start + i];
                    }
                }
            }
        } else {
            for (int start = 0; start < rows; start += mr) {
                int base = start * kc;
                int height = Math.min(mr, rows - start);
                for (int i = 0; i < height; i++) {
                    int src = (row0 + start + i) * k + p0;
                    for (int p = 0; p < kc; p++) {
                        dst[base + p * mr + i] = a[src + p];
                    }
                }
            }
        }
        int last = (rows - 1) / mr * mr;
        int height = rows - last;
        if (height < mr) {
            int base = last * kc;
            for (int p = 0; p < kc; p++) {
                Arrays.fill(dst, base + p * mr + height, base + (p + 1) * mr, 0f);
            }
        }
    }

    /**
     * Packs steps {@code [p0, p0+kc)} and columns {@code [col0, col0+cols)} of op(B) (k×n) into panels
     * of {@code nr} columns: {@code dst[panel·kc·nr + p·nr + j]}.
     */
    static void packB(boolean transB, float[] b, int k, int n, int p0, int kc, int col0, int cols, int nr, float[] dst) {
        for (int start = 0; start < cols; start += nr) {
            int base = start * kc;
            int width = Math.min(nr, cols - start);
            if (!transB) {
                for (int p = 0; p < kc; p++) {
                    System.arraycopy(b, (p0 + p) * n + col0 + start, dst, base + p * nr, width);
                }
            } else {
                // op(B) column j is row j of B: a transpose, done in blocks of 16 columns × 16 steps
                // so that each source row is read 16 values at a time and the block's writes stay in
                // 16 lines of the panel (twice as fast as a step at a time, which strides over 16 rows)
                for (int j0 = 0; j0 < width; j0 += 16) {
                    int group = Math.min(16, width - j0);
                    int src = (col0 + start + j0) * k + p0;
                    int to = base + j0;
                    int pb = 0;
                    if (group == 16) {
                        for (; pb + 16 <= kc; pb += 16) {
                            transpose16x16(b, src + pb, k, dst, to + pb * nr, nr);
                        }
                    }
                    for (; pb < kc; pb += 16) {
                        int steps = Math.min(16, kc - pb);
                        for (int j = 0; j < group; j++) {
                            int s = src + j * k + pb;
                            int d = to + pb * nr + j;
                            for (int p = 0; p < steps; p++) {
                                dst[d + p * nr] = b[s + p];
                            }
                        }
                    }
                }
            }
            if (width < nr) {
                for (int p = 0; p < kc; p++) {
                    Arrays.fill(dst, base + p * nr + width, base + (p + 1) * nr, 0f);
                }
            }
        }
    }

    /** dst[d + p·ldd + j] = b[s + j·lds + p] for a whole 16×16 block: constant bounds, which C2 unrolls. */
    private static void transpose16x16(float[] b, int s, int lds, float[] dst, int d, int ldd) {
        for (int j = 0; j < 16; j++) {
            int from = s + j * lds;
            int to = d + j;
            for (int p = 0; p < 16; p++) {
                dst[to + p * ldd] = b[from + p];
            }
        }
    }
}
