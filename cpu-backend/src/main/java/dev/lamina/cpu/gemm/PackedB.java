package dev.lamina.cpu.gemm;

/**
 * One thread's packed block of op(B), in the layout its {@link MicroKernel} reads, kept and refilled
 * for every block so that a steady stream of products allocates nothing.
 */
public interface PackedB {
    /** Packs steps {@code [p0, p0+kc)} and columns {@code [col0, col0+cols)} of op(B) (k×n). */
    void pack(boolean transB, float[] b, int k, int n, int p0, int kc, int col0, int cols);
}
