package dev.lamina.cpu.vector;

import dev.lamina.cpu.gemm.FlatPackedB;
import dev.lamina.cpu.gemm.MicroKernel;
import dev.lamina.cpu.gemm.PackedB;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API micro-kernel: a 6-row tile, {@code 4·V} columns wide on machines with 32 vector
 * registers (AVX-512: V = 16, a 6×64 tile in 24 accumulators) or {@code 2·V} on the others (AVX2:
 * 6×16 in 12, as the 16 registers allow). Each k step loads one row of the B panel, broadcasts
 * each of the 6 values of the A panel and issues one FMA per accumulator. Tiles narrower than the
 * panel (the right edge of C) use the 2·V and 1·V variants, so the edge is vector code too.
 *
 * <p>The accumulators are separate locals, not an array, so that C2 keeps them in registers.
 */
public final class VectorMicroKernel implements MicroKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();
    private static final int MR = 6;
    /** 32 registers (AVX-512) hold 24 accumulators plus 4 B vectors; 16 registers hold 12 + 2. */
    private static final boolean WIDE = V >= 16;
    private static final int NR = (WIDE ? 4 : 2) * V;

    @Override
    public int mr() {
        return MR;
    }

    @Override
    public int nr() {
        return NR;
    }

    @Override
    public String describe() {
        return "Vector API " + MR + "x" + NR + " (" + S.vectorBitSize() + "-bit FMA)";
    }

    @Override
    public PackedB newPackedB() {
        return new FlatPackedB(NR);
    }

    @Override
    public void multiply(int kc, float[] a, int aOff, PackedB packed, int col, int width, float[] tile) {
        FlatPackedB flat = (FlatPackedB) packed;
        float[] b = flat.data();
        int bOff = flat.offset(col);
        if (width > 2 * V) {
            tile4(kc, a, aOff, b, bOff, tile, 0, NR);
            return;
        }
        int done = 0;
        if (width > V) {
            tile2(kc, a, aOff, b, bOff, tile, 0, NR);
            done = 2 * V;
        }
        if (done < width) {
            tile1(kc, a, aOff, b, bOff + done, tile, done);
        }
    }

    @Override
    public void multiplyInto(int kc, float[] a, int aOff, PackedB packed, int col, float[] c, int cOff, int ldc,
                             boolean accumulate) {
        FlatPackedB flat = (FlatPackedB) packed;
        float[] b = flat.data();
        int bOff = flat.offset(col);
        if (WIDE) {
            if (accumulate) {
                tile4Add(kc, a, aOff, b, bOff, c, cOff, ldc);
            } else {
                tile4(kc, a, aOff, b, bOff, c, cOff, ldc);
            }
        } else if (accumulate) {
            tile2Add(kc, a, aOff, b, bOff, c, cOff, ldc);
        } else {
            tile2(kc, a, aOff, b, bOff, c, cOff, ldc);
        }
    }

    @Override
    public boolean readsRowsOfA() {
        return WIDE;
    }

    @Override
    public void multiplyRowsInto(int kc, float[] a, int aOff, int lda, PackedB packed, int col, float[] c, int cOff, int ldc,
                                 boolean accumulate) {
        FlatPackedB flat = (FlatPackedB) packed;
        float[] b = flat.data();
        int bOff = flat.offset(col);
        if (accumulate) {
            tile4AddRows(kc, a, aOff, lda, b, bOff, c, cOff, ldc);
        } else {
            tile4Rows(kc, a, aOff, lda, b, bOff, c, cOff, ldc);
        }
    }

    /** The full-width tile (4·V columns), written into {@code out} at row stride {@code ldo}. */
    private static void tile4(int kc, float[] a, int aOff, float[] b, int bOff, float[] out, int o, int ldo) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        FloatVector c40 = c00, c41 = c00, c42 = c00, c43 = c00;
        FloatVector c50 = c00, c51 = c00, c52 = c00, c53 = c00;
        for (int p = 0; p < kc; p++) {
            int bp = bOff + p * NR;
            int ap = aOff + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + V);
            FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * V);
            FloatVector b3 = FloatVector.fromArray(S, b, bp + 3 * V);
            FloatVector ai = FloatVector.broadcast(S, a[ap]);
            c00 = b0.fma(ai, c00); c01 = b1.fma(ai, c01); c02 = b2.fma(ai, c02); c03 = b3.fma(ai, c03);
            ai = FloatVector.broadcast(S, a[ap + 1]);
            c10 = b0.fma(ai, c10); c11 = b1.fma(ai, c11); c12 = b2.fma(ai, c12); c13 = b3.fma(ai, c13);
            ai = FloatVector.broadcast(S, a[ap + 2]);
            c20 = b0.fma(ai, c20); c21 = b1.fma(ai, c21); c22 = b2.fma(ai, c22); c23 = b3.fma(ai, c23);
            ai = FloatVector.broadcast(S, a[ap + 3]);
            c30 = b0.fma(ai, c30); c31 = b1.fma(ai, c31); c32 = b2.fma(ai, c32); c33 = b3.fma(ai, c33);
            ai = FloatVector.broadcast(S, a[ap + 4]);
            c40 = b0.fma(ai, c40); c41 = b1.fma(ai, c41); c42 = b2.fma(ai, c42); c43 = b3.fma(ai, c43);
            ai = FloatVector.broadcast(S, a[ap + 5]);
            c50 = b0.fma(ai, c50); c51 = b1.fma(ai, c51); c52 = b2.fma(ai, c52); c53 = b3.fma(ai, c53);
        }
        int o1 = o + ldo;
        int o2 = o1 + ldo;
        int o3 = o2 + ldo;
        int o4 = o3 + ldo;
        int o5 = o4 + ldo;
        c00.intoArray(out, o); c01.intoArray(out, o + V); c02.intoArray(out, o + 2 * V); c03.intoArray(out, o + 3 * V);
        c10.intoArray(out, o1); c11.intoArray(out, o1 + V); c12.intoArray(out, o1 + 2 * V); c13.intoArray(out, o1 + 3 * V);
        c20.intoArray(out, o2); c21.intoArray(out, o2 + V); c22.intoArray(out, o2 + 2 * V); c23.intoArray(out, o2 + 3 * V);
        c30.intoArray(out, o3); c31.intoArray(out, o3 + V); c32.intoArray(out, o3 + 2 * V); c33.intoArray(out, o3 + 3 * V);
        c40.intoArray(out, o4); c41.intoArray(out, o4 + V); c42.intoArray(out, o4 + 2 * V); c43.intoArray(out, o4 + 3 * V);
        c50.intoArray(out, o5); c51.intoArray(out, o5 + V); c52.intoArray(out, o5 + 2 * V); c53.intoArray(out, o5 + 3 * V);
    }

    /**
     * The full-width tile added to what {@code out} holds. A separate method rather than a flag:
     * merging two vector values at a branch made C2 (JDK 17) give up an intrinsic and box.
     */
    private static void tile4Add(int kc, float[] a, int aOff, float[] b, int bOff, float[] out, int o, int ldo) {
        int r1 = o + ldo;
        int r2 = r1 + ldo;
        int r3 = r2 + ldo;
        int r4 = r3 + ldo;
        int r5 = r4 + ldo;
        FloatVector c00 = FloatVector.fromArray(S, out, o), c01 = FloatVector.fromArray(S, out, o + V);
        FloatVector c02 = FloatVector.fromArray(S, out, o + 2 * V), c03 = FloatVector.fromArray(S, out, o + 3 * V);
        FloatVector c10 = FloatVector.fromArray(S, out, r1), c11 = FloatVector.fromArray(S, out, r1 + V);
        FloatVector c12 = FloatVector.fromArray(S, out, r1 + 2 * V), c13 = FloatVector.fromArray(S, out, r1 + 3 * V);
        FloatVector c20 = FloatVector.fromArray(S, out, r2), c21 = FloatVector.fromArray(S, out, r2 + V);
        FloatVector c22 = FloatVector.fromArray(S, out, r2 + 2 * V), c23 = FloatVector.fromArray(S, out, r2 + 3 * V);
        FloatVector c30 = FloatVector.fromArray(S, out, r3), c31 = FloatVector.fromArray(S, out, r3 + V);
        FloatVector c32 = FloatVector.fromArray(S, out, r3 + 2 * V), c33 = FloatVector.fromArray(S, out, r3 + 3 * V);
        FloatVector c40 = FloatVector.fromArray(S, out, r4), c41 = FloatVector.fromArray(S, out, r4 + V);
        FloatVector c42 = FloatVector.fromArray(S, out, r4 + 2 * V), c43 = FloatVector.fromArray(S, out, r4 + 3 * V);
        FloatVector c50 = FloatVector.fromArray(S, out, r5), c51 = FloatVector.fromArray(S, out, r5 + V);
        FloatVector c52 = FloatVector.fromArray(S, out, r5 + 2 * V), c53 = FloatVector.fromArray(S, out, r5 + 3 * V);
        for (int p = 0; p < kc; p++) {
            int bp = bOff + p * NR;
            int ap = aOff + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + V);
            FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * V);
            FloatVector b3 = FloatVector.fromArray(S, b, bp + 3 * V);
            FloatVector ai = FloatVector.broadcast(S, a[ap]);
            c00 = b0.fma(ai, c00); c01 = b1.fma(ai, c01); c02 = b2.fma(ai, c02); c03 = b3.fma(ai, c03);
            ai = FloatVector.broadcast(S, a[ap + 1]);
            c10 = b0.fma(ai, c10); c11 = b1.fma(ai, c11); c12 = b2.fma(ai, c12); c13 = b3.fma(ai, c13);
            ai = FloatVector.broadcast(S, a[ap + 2]);
            c20 = b0.fma(ai, c20); c21 = b1.fma(ai, c21); c22 = b2.fma(ai, c22); c23 = b3.fma(ai, c23);
            ai = FloatVector.broadcast(S, a[ap + 3]);
            c30 = b0.fma(ai, c30); c31 = b1.fma(ai, c31); c32 = b2.fma(ai, c32); c33 = b3.fma(ai, c33);
            ai = FloatVector.broadcast(S, a[ap + 4]);
            c40 = b0.fma(ai, c40); c41 = b1.fma(ai, c41); c42 = b2.fma(ai, c42); c43 = b3.fma(ai, c43);
            ai = FloatVector.broadcast(S, a[ap + 5]);
            c50 = b0.fma(ai, c50); c51 = b1.fma(ai, c51); c52 = b2.fma(ai, c52); c53 = b3.fma(ai, c53);
        }
        int o1 = o + ldo;
        int o2 = o1 + ldo;
        int o3 = o2 + ldo;
        int o4 = o3 + ldo;
        int o5 = o4 + ldo;
        c00.intoArray(out, o); c01.intoArray(out, o + V); c02.intoArray(out, o + 2 * V); c03.intoArray(out, o + 3 * V);
        c10.intoArray(out, o1); c11.intoArray(out, o1 + V); c12.intoArray(out, o1 + 2 * V); c13.intoArray(out, o1 + 3 * V);
        c20.intoArray(out, o2); c21.intoArray(out, o2 + V); c22.intoArray(out, o2 + 2 * V); c23.intoArray(out, o2 + 3 * V);
        c30.intoArray(out, o3); c31.intoArray(out, o3 + V); c32.intoArray(out, o3 + 2 * V); c33.intoArray(out, o3 + 3 * V);
        c40.intoArray(out, o4); c41.intoArray(out, o4 + V); c42.intoArray(out, o4 + 2 * V); c43.intoArray(out, o4 + 3 * V);
        c50.intoArray(out, o5); c51.intoArray(out, o5 + V); c52.intoArray(out, o5 + 2 * V); c53.intoArray(out, o5 + 3 * V);
    }

    /**
     * {@link #tile4} reading A where it lies, row-major with row stride {@code lda}, instead of from a
     * packed panel: A's rows are read in order, so packing them bought nothing but a copy (a sixth of
     * the time of a 256³ product). Step p of row i is {@code a[aOff + i·lda + p]}.
     */
    private static void tile4Rows(int kc, float[] a, int aOff, int lda, float[] b, int bOff, float[] out, int o, int ldo) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        FloatVector c40 = c00, c41 = c00, c42 = c00, c43 = c00;
        FloatVector c50 = c00, c51 = c00, c52 = c00, c53 = c00;
        int a0 = aOff;
        int a1 = a0 + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        int a4 = a3 + lda;
        int a5 = a4 + lda;
        for (int p = 0; p < kc; p++) {
            int bp = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + V);
            FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * V);
            FloatVector b3 = FloatVector.fromArray(S, b, bp + 3 * V);
            FloatVector ai = FloatVector.broadcast(S, a[a0 + p]);
            c00 = b0.fma(ai, c00); c01 = b1.fma(ai, c01); c02 = b2.fma(ai, c02); c03 = b3.fma(ai, c03);
            ai = FloatVector.broadcast(S, a[a1 + p]);
            c10 = b0.fma(ai, c10); c11 = b1.fma(ai, c11); c12 = b2.fma(ai, c12); c13 = b3.fma(ai, c13);
            ai = FloatVector.broadcast(S, a[a2 + p]);
            c20 = b0.fma(ai, c20); c21 = b1.fma(ai, c21); c22 = b2.fma(ai, c22); c23 = b3.fma(ai, c23);
            ai = FloatVector.broadcast(S, a[a3 + p]);
            c30 = b0.fma(ai, c30); c31 = b1.fma(ai, c31); c32 = b2.fma(ai, c32); c33 = b3.fma(ai, c33);
            ai = FloatVector.broadcast(S, a[a4 + p]);
            c40 = b0.fma(ai, c40); c41 = b1.fma(ai, c41); c42 = b2.fma(ai, c42); c43 = b3.fma(ai, c43);
            ai = FloatVector.broadcast(S, a[a5 + p]);
            c50 = b0.fma(ai, c50); c51 = b1.fma(ai, c51); c52 = b2.fma(ai, c52); c53 = b3.fma(ai, c53);
        }
        int o1 = o + ldo;
        int o2 = o1 + ldo;
        int o3 = o2 + ldo;
        int o4 = o3 + ldo;
        int o5 = o4 + ldo;
        c00.intoArray(out, o); c01.intoArray(out, o + V); c02.intoArray(out, o + 2 * V); c03.intoArray(out, o + 3 * V);
        c10.intoArray(out, o1); c11.intoArray(out, o1 + V); c12.intoArray(out, o1 + 2 * V); c13.intoArray(out, o1 + 3 * V);
        c20.intoArray(out, o2); c21.intoArray(out, o2 + V); c22.intoArray(out, o2 + 2 * V); c23.intoArray(out, o2 + 3 * V);
        c30.intoArray(out, o3); c31.intoArray(out, o3 + V); c32.intoArray(out, o3 + 2 * V); c33.intoArray(out, o3 + 3 * V);
        c40.intoArray(out, o4); c41.intoArray(out, o4 + V); c42.intoArray(out, o4 + 2 * V); c43.intoArray(out, o4 + 3 * V);
        c50.intoArray(out, o5); c51.intoArray(out, o5 + V); c52.intoArray(out, o5 + 2 * V); c53.intoArray(out, o5 + 3 * V);
    }

    /** {@link #tile4Rows} added to what {@code out} holds (see {@link #tile4Add}). */
    private static void tile4AddRows(int kc, float[] a, int aOff, int lda, float[] b, int bOff, float[] out, int o, int ldo) {
        int r1 = o + ldo;
        int r2 = r1 + ldo;
        int r3 = r2 + ldo;
        int r4 = r3 + ldo;
        int r5 = r4 + ldo;
        FloatVector c00 = FloatVector.fromArray(S, out, o), c01 = FloatVector.fromArray(S, out, o + V);
        FloatVector c02 = FloatVector.fromArray(S, out, o + 2 * V), c03 = FloatVector.fromArray(S, out, o + 3 * V);
        FloatVector c10 = FloatVector.fromArray(S, out, r1), c11 = FloatVector.fromArray(S, out, r1 + V);
        FloatVector c12 = FloatVector.fromArray(S, out, r1 + 2 * V), c13 = FloatVector.fromArray(S, out, r1 + 3 * V);
        FloatVector c20 = FloatVector.fromArray(S, out, r2), c21 = FloatVector.fromArray(S, out, r2 + V);
        FloatVector c22 = FloatVector.fromArray(S, out, r2 + 2 * V), c23 = FloatVector.fromArray(S, out, r2 + 3 * V);
        FloatVector c30 = FloatVector.fromArray(S, out, r3), c31 = FloatVector.fromArray(S, out, r3 + V);
        FloatVector c32 = FloatVector.fromArray(S, out, r3 + 2 * V), c33 = FloatVector.fromArray(S, out, r3 + 3 * V);
        FloatVector c40 = FloatVector.fromArray(S, out, r4), c41 = FloatVector.fromArray(S, out, r4 + V);
        FloatVector c42 = FloatVector.fromArray(S, out, r4 + 2 * V), c43 = FloatVector.fromArray(S, out, r4 + 3 * V);
        FloatVector c50 = FloatVector.fromArray(S, out, r5), c51 = FloatVector.fromArray(S, out, r5 + V);
        FloatVector c52 = FloatVector.fromArray(S, out, r5 + 2 * V), c53 = FloatVector.fromArray(S, out, r5 + 3 * V);
        int a0 = aOff;
        int a1 = a0 + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        int a4 = a3 + lda;
        int a5 = a4 + lda;
        for (int p = 0; p < kc; p++) {
            int bp = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + V);
            FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * V);
            FloatVector b3 = FloatVector.fromArray(S, b, bp + 3 * V);
            FloatVector ai = FloatVector.broadcast(S, a[a0 + p]);
            c00 = b0.fma(ai, c00); c01 = b1.fma(ai, c01); c02 = b2.fma(ai, c02); c03 = b3.fma(ai, c03);
            ai = FloatVector.broadcast(S, a[a1 + p]);
            c10 = b0.fma(ai, c10); c11 = b1.fma(ai, c11); c12 = b2.fma(ai, c12); c13 = b3.fma(ai, c13);
            ai = FloatVector.broadcast(S, a[a2 + p]);
            c20 = b0.fma(ai, c20); c21 = b1.fma(ai, c21); c22 = b2.fma(ai, c22); c23 = b3.fma(ai, c23);
            ai = FloatVector.broadcast(S, a[a3 + p]);
            c30 = b0.fma(ai, c30); c31 = b1.fma(ai, c31); c32 = b2.fma(ai, c32); c33 = b3.fma(ai, c33);
            ai = FloatVector.broadcast(S, a[a4 + p]);
            c40 = b0.fma(ai, c40); c41 = b1.fma(ai, c41); c42 = b2.fma(ai, c42); c43 = b3.fma(ai, c43);
            ai = FloatVector.broadcast(S, a[a5 + p]);
            c50 = b0.fma(ai, c50); c51 = b1.fma(ai, c51); c52 = b2.fma(ai, c52); c53 = b3.fma(ai, c53);
        }
        int o1 = o + ldo;
        int o2 = o1 + ldo;
        int o3 = o2 + ldo;
        int o4 = o3 + ldo;
        int o5 = o4 + ldo;
        c00.intoArray(out, o); c01.intoArray(out, o + V); c02.intoArray(out, o + 2 * V); c03.intoArray(out, o + 3 * V);
        c10.intoArray(out, o1); c11.intoArray(out, o1 + V); c12.intoArray(out, o1 + 2 * V); c13.intoArray(out, o1 + 3 * V);
        c20.intoArray(out, o2); c21.intoArray(out, o2 + V); c22.intoArray(out, o2 + 2 * V); c23.intoArray(out, o2 + 3 * V);
        c30.intoArray(out, o3); c31.intoArray(out, o3 + V); c32.intoArray(out, o3 + 2 * V); c33.intoArray(out, o3 + 3 * V);
        c40.intoArray(out, o4); c41.intoArray(out, o4 + V); c42.intoArray(out, o4 + 2 * V); c43.intoArray(out, o4 + 3 * V);
        c50.intoArray(out, o5); c51.intoArray(out, o5 + V); c52.intoArray(out, o5 + 2 * V); c53.intoArray(out, o5 + 3 * V);
    }

    /** Two vectors wide, written into {@code out} at row stride {@code ldo}. */
    private static void tile2(int kc, float[] a, int aOff, float[] b, int bOff, float[] out, int o, int ldo) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00;
        FloatVector c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00;
        FloatVector c40 = c00, c41 = c00;
        FloatVector c50 = c00, c51 = c00;
        for (int p = 0; p < kc; p++) {
            int bp = bOff + p * NR;
            int ap = aOff + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + V);
            FloatVector ai = FloatVector.broadcast(S, a[ap]);
            c00 = b0.fma(ai, c00); c01 = b1.fma(ai, c01);
            ai = FloatVector.broadcast(S, a[ap + 1]);
            c10 = b0.fma(ai, c10); c11 = b1.fma(ai, c11);
            ai = FloatVector.broadcast(S, a[ap + 2]);
            c20 = b0.fma(ai, c20); c21 = b1.fma(ai, c21);
            ai = FloatVector.broadcast(S, a[ap + 3]);
            c30 = b0.fma(ai, c30); c31 = b1.fma(ai, c31);
            ai = FloatVector.broadcast(S, a[ap + 4]);
            c40 = b0.fma(ai, c40); c41 = b1.fma(ai, c41);
            ai = FloatVector.broadcast(S, a[ap + 5]);
            c50 = b0.fma(ai, c50); c51 = b1.fma(ai, c51);
        }
        int o1 = o + ldo;
        int o2 = o1 + ldo;
        int o3 = o2 + ldo;
        int o4 = o3 + ldo;
        int o5 = o4 + ldo;
        c00.intoArray(out, o); c01.intoArray(out, o + V);
        c10.intoArray(out, o1); c11.intoArray(out, o1 + V);
        c20.intoArray(out, o2); c21.intoArray(out, o2 + V);
        c30.intoArray(out, o3); c31.intoArray(out, o3 + V);
        c40.intoArray(out, o4); c41.intoArray(out, o4 + V);
        c50.intoArray(out, o5); c51.intoArray(out, o5 + V);
    }

    /** Two vectors wide, added to what {@code out} holds (see {@link #tile4Add}). */
    private static void tile2Add(int kc, float[] a, int aOff, float[] b, int bOff, float[] out, int o, int ldo) {
        int r1 = o + ldo;
        int r2 = r1 + ldo;
        int r3 = r2 + ldo;
        int r4 = r3 + ldo;
        int r5 = r4 + ldo;
        FloatVector c00 = FloatVector.fromArray(S, out, o), c01 = FloatVector.fromArray(S, out, o + V);
        FloatVector c10 = FloatVector.fromArray(S, out, r1), c11 = FloatVector.fromArray(S, out, r1 + V);
        FloatVector c20 = FloatVector.fromArray(S, out, r2), c21 = FloatVector.fromArray(S, out, r2 + V);
        FloatVector c30 = FloatVector.fromArray(S, out, r3), c31 = FloatVector.fromArray(S, out, r3 + V);
        FloatVector c40 = FloatVector.fromArray(S, out, r4), c41 = FloatVector.fromArray(S, out, r4 + V);
        FloatVector c50 = FloatVector.fromArray(S, out, r5), c51 = FloatVector.fromArray(S, out, r5 + V);
        for (int p = 0; p < kc; p++) {
            int bp = bOff + p * NR;
            int ap = aOff + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + V);
            FloatVector ai = FloatVector.broadcast(S, a[ap]);
            c00 = b0.fma(ai, c00); c01 = b1.fma(ai, c01);
            ai = FloatVector.broadcast(S, a[ap + 1]);
            c10 = b0.fma(ai, c10); c11 = b1.fma(ai, c11);
            ai = FloatVector.broadcast(S, a[ap + 2]);
            c20 = b0.fma(ai, c20); c21 = b1.fma(ai, c21);
            ai = FloatVector.broadcast(S, a[ap + 3]);
            c30 = b0.fma(ai, c30); c31 = b1.fma(ai, c31);
            ai = FloatVector.broadcast(S, a[ap + 4]);
            c40 = b0.fma(ai, c40); c41 = b1.fma(ai, c41);
            ai = FloatVector.broadcast(S, a[ap + 5]);
            c50 = b0.fma(ai, c50); c51 = b1.fma(ai, c51);
        }
        int o1 = o + ldo;
        int o2 = o1 + ldo;
        int o3 = o2 + ldo;
        int o4 = o3 + ldo;
        int o5 = o4 + ldo;
        c00.intoArray(out, o); c01.intoArray(out, o + V);
        c10.intoArray(out, o1); c11.intoArray(out, o1 + V);
        c20.intoArray(out, o2); c21.intoArray(out, o2 + V);
        c30.intoArray(out, o3); c31.intoArray(out, o3 + V);
        c40.intoArray(out, o4); c41.intoArray(out, o4 + V);
        c50.intoArray(out, o5); c51.intoArray(out, o5 + V);
    }

    private static void tile1(int kc, float[] a, int aOff, float[] b, int bOff, float[] tile, int col) {
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        for (int p = 0; p < kc; p++) {
            int ap = aOff + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, b, bOff + p * NR);
            c0 = b0.fma(FloatVector.broadcast(S, a[ap]), c0);
            c1 = b0.fma(FloatVector.broadcast(S, a[ap + 1]), c1);
            c2 = b0.fma(FloatVector.broadcast(S, a[ap + 2]), c2);
            c3 = b0.fma(FloatVector.broadcast(S, a[ap + 3]), c3);
            c4 = b0.fma(FloatVector.broadcast(S, a[ap + 4]), c4);
            c5 = b0.fma(FloatVector.broadcast(S, a[ap + 5]), c5);
        }
        c0.intoArray(tile, col);
        c1.intoArray(tile, NR + col);
        c2.intoArray(tile, 2 * NR + col);
        c3.intoArray(tile, 3 * NR + col);
        c4.intoArray(tile, 4 * NR + col);
        c5.intoArray(tile, 5 * NR + col);
    }
}
