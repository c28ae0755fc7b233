package dev.lamina.cuda;

import jcuda.driver.CUstream;

/**
 * GEMM with Lamina's own SGEMM kernels, for machines where cuBLAS cannot load (JCublas 12.6 needs
 * {@code libcublas.so.12}, which a CUDA-13-only machine lacks). The kernels are row-major already,
 * so no transposition trick is needed. Which kernel (KERNELS.md, class G):
 * <ul>
 *   <li>128×128 tiles when they give at least one block per SM: the fastest per block;</li>
 *   <li>split-k when even 64×64 tiles leave most SMs idle and k is long (a batch-sized product such
 *       as 128×784 · 784×256): k is cut into chunks computed by separate blocks into a workspace,
 *       then summed in a fixed order (deterministic);</li>
 *   <li>otherwise 64×64 tiles, for more blocks on small outputs.</li>
 * </ul>
 * The split-k workspace is pooled device memory kept between calls and grown only when a product
 * needs more, so a steady training step allocates nothing here either.
 */
final class KernelGemm implements Gemm {
    private static final int THREADS = 256;
    private static final int MAX_GRID_Y = 65535;
    private static final int BLOCK = 256;
    private static final int SPLITK_MIN_K = 512;
    private static final int MAX_SPLITS = 16;

    private final Kernels kernels;
    private final CUstream stream;
    private final int multiprocessors;
    private final DeviceMemoryPool pool;
    private final String whyNotCublas;
    private DeviceBlock workspace;

    /** @param whyNotCublas why this path and not cuBLAS, for {@link #description()} */
    KernelGemm(Kernels kernels, CUstream stream, int multiprocessors, DeviceMemoryPool pool, String whyNotCublas) {
        this.whyNotCublas = whyNotCublas;
        this.kernels = kernels;
        this.stream = stream;
        this.multiprocessors = Math.max(1, multiprocessors);
        this.pool = pool;
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float alpha, DeviceBlock a, DeviceBlock b, float beta, DeviceBlock c) {
        int lda = transA ? m : k;
        int ldb = transB ? k : n;
        long bigTiles = (long) ceilDiv(m, 128) * ceilDiv(n, 128);
        if (bigTiles >= multiprocessors) {
            launchTiles(kernels.sgemm128, 128, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c);
            return;
        }
        int splits = splits(m, n, k);
        if (splits > 1) {
            long workspaceBytes = (long) splits * m * n * Float.BYTES;
            DeviceBlock ws = workspace(workspaceBytes);
            kernels.sgemm64SplitK.i(transA).i(transB).i(m).i(n).i(k).i(splits).f(alpha)
                    .ptr(a.address()).i(lda).ptr(b.address()).i(ldb).ptr(ws.address())
                    .launch(stream, ceilDiv(n, 64), Math.min(ceilDiv(m, 64), MAX_GRID_Y), THREADS, 1, splits);
            int count = m * n;
            kernels.splitkReduce.ptr(ws.address()).i(splits).i(m).i(n).f(beta).ptr(c.address()).i(n)
                    .launch(stream, Math.max(1, Math.min(ceilDiv(count, BLOCK), 32 * multiprocessors)), 1, BLOCK, 1);
            return;
        }
        launchTiles(kernels.sgemm64, 64, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c);
    }

    /** KERNELS.md's rule: when 64×64 tiles fill less than half the SMs and k ≥ 512; 1 means no split. */
    int splits(int m, int n, int k) {
        long tiles = (long) ceilDiv(m, 64) * ceilDiv(n, 64);
        if (k < SPLITK_MIN_K || tiles * 2 >= multiprocessors) {
            return 1;
        }
        return (int) Math.min(Math.min((multiprocessors + tiles - 1) / tiles, k / 128), MAX_SPLITS);
    }

    private void launchTiles(Kernel kernel, int tile, boolean transA, boolean transB, int m, int n, int k, float alpha,
                             DeviceBlock a, int lda, DeviceBlock b, int ldb, float beta, DeviceBlock c) {
        kernel.i(transA).i(transB).i(m).i(n).i(k).f(alpha)
                .ptr(a.address()).i(lda)
                .ptr(b.address()).i(ldb)
                .f(beta).ptr(c.address()).i(n)
                .launch(stream, ceilDiv(n, tile), Math.min(ceilDiv(m, tile), MAX_GRID_Y), THREADS, 1);
    }

    /** The workspace, grown to at least {@code bytes}; reuse is safe because all work is on one stream. */
    private DeviceBlock workspace(long bytes) {
        if (workspace == null || workspace.bytes() < bytes) {
            if (workspace != null) {
                pool.release(workspace);
            }
            workspace = pool.acquire(bytes);
        }
        return workspace;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    @Override
    public String description() {
        return "own SGEMM kernel (" + whyNotCublas + "; TF32 off)";
    }

    @Override
    public void close() {
        if (workspace != null) {
            pool.release(workspace);
            workspace = null;
        }
    }
}
