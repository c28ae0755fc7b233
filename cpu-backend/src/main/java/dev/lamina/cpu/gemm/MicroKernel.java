package dev.lamina.cpu.gemm;

/**
 * The innermost piece of the matrix product: one {@code mr × nr} tile of {@code A·B} from a packed
 * micro-panel of A ({@code kc} steps of {@code mr} values, row index fastest) and a micro-panel of
 * the packed B block. Everything around it (blocking, packing A, threads, alpha/beta, bias,
 * activation) lives in {@link Sgemm}.
 */
public interface MicroKernel {
    /** Rows of the tile (the height of an A micro-panel). */
    int mr();

    /** Columns of the tile (the width of a B micro-panel). */
    int nr();

    /** A packed-B buffer in this kernel's layout, for one thread. */
    PackedB newPackedB();

    /**
     * Overwrites {@code tile[i·nr + j]} with {@code Σ_p a[aOff + p·mr + i] · B[p][col + j]} for every
     * {@code i < mr} and at least every {@code j < width}, where B is the packed block and
     * {@code col} a multiple of nr; columns past {@code width} may hold anything.
     */
    void multiply(int kc, float[] a, int aOff, PackedB b, int col, int width, float[] tile);

    /**
     * A whole {@code mr × nr} tile written straight into C (row stride {@code ldc}), or added to what
     * C holds when {@code accumulate}: the common case of a product with alpha 1, which then skips
     * the tile buffer.
     */
    void multiplyInto(int kc, float[] a, int aOff, PackedB b, int col, float[] c, int cOff, int ldc, boolean accumulate);

    /** Whether {@link #multiplyRowsInto} is implemented: a kernel that reads A's rows in place, unpacked. */
    default boolean readsRowsOfA() {
        return false;
    }

    /**
     * {@link #multiplyInto} with A read where it lies instead of from a packed panel: row-major, row
     * stride {@code lda}, step p of row i at {@code a[aOff + i·lda + p]}. Only where {@link #readsRowsOfA()}.
     */
    default void multiplyRowsInto(int kc, float[] a, int aOff, int lda, PackedB b, int col, float[] c, int cOff, int ldc,
                                  boolean accumulate) {
        throw new UnsupportedOperationException(describe() + " reads packed A only");
    }

    /** A short name for logs and benchmarks. */
    String describe();
}
